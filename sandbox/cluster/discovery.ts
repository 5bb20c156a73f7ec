import { KINDS, formatApiVersion, type KindInfo } from "./registry";

/**
 * Legacy (non-aggregated) discovery documents: enough for client-node and for kubectl, which
 * falls back to them when the aggregated form is not offered.
 */

export const KUBE_VERSION = { major: "1", minor: "32", gitVersion: "v1.32.0-sandbox" };

export function versionInfo() {
  return {
    ...KUBE_VERSION,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2026-01-01T00:00:00Z",
    goVersion: "go1.23",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

export function apiVersions(serverAddress: string) {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function groupDocument(group: string) {
  const versions = [...new Set(KINDS.filter((k) => k.group === group).flatMap((k) => k.versions))];
  const preferred = KINDS.find((k) => k.group === group)!.versions[0]!;
  const entry = (v: string) => ({ groupVersion: formatApiVersion(group, v), version: v });
  return { name: group, versions: versions.map(entry), preferredVersion: entry(preferred) };
}

export function apiGroupList() {
  const groups = [...new Set(KINDS.map((k) => k.group).filter(Boolean))];
  return { kind: "APIGroupList", apiVersion: "v1", groups: groups.map(groupDocument) };
}

export function apiGroup(group: string) {
  return KINDS.some((k) => k.group === group) ? { kind: "APIGroup", apiVersion: "v1", ...groupDocument(group) } : undefined;
}

export function apiResourceList(group: string, version: string) {
  const kinds = KINDS.filter((k) => k.group === group && k.versions.includes(version));
  if (kinds.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: formatApiVersion(group, version),
    resources: kinds.flatMap((k) => [resource(k), { name: `${k.plural}/status`, singularName: "", namespaced: k.namespaced, kind: k.kind, verbs: ["get"] }]),
  };
}

function resource(k: KindInfo) {
  return {
    name: k.plural,
    singularName: k.singular,
    namespaced: k.namespaced,
    kind: k.kind,
    // Read-only: the stand-in is changed through git, like the real cluster is through Argo CD.
    verbs: ["get", "list", "watch"],
    ...(k.shortNames.length ? { shortNames: k.shortNames } : {}),
  };
}
