import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { templateMetadata, tenantApplication } from "./application";
import { parseDocuments } from "./manifests";

describe("tenant Applications (the ApplicationSet's git directory generator)", () => {
  it("takes labels and annotations from the repo's ApplicationSet template, with path parameters substituted", () => {
    const appSet = parse(`
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: tenants, namespace: argocd}
spec:
  generators: [{git: {repoURL: https://example.com/platform.git, revision: main, directories: [{path: "tenants/*"}]}}]
  template:
    metadata:
      name: "tenant-{{.path.basename}}"
      labels: {inference-portal/tenant: "{{.path.basename}}", team: "{{ path.basename }}"}
      annotations: {source: "{{.path.path}}"}
    spec: {project: default}
`);
    const meta = templateMetadata(appSet, "acme");
    expect(meta).toEqual({ labels: { "inference-portal/tenant": "acme", team: "acme" }, annotations: { source: "tenants/acme" } });
    const app = tenantApplication("acme", { repoURL: "file:///repo.git", targetRevision: "main", ...meta });
    expect(app.metadata.labels).toMatchObject({ "inference-portal/tenant": "acme", tenant: "acme" });
    expect(app.metadata.name).toBe("tenant-acme");
    expect(templateMetadata(undefined, "acme")).toEqual({ labels: undefined, annotations: undefined });
  });
});

describe("manifest parsing", () => {
  it("splits multi-document files, skips empty documents and flattens Lists", () => {
    const parsed = parseDocuments(
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n",
      "x.yaml",
    );
    expect(typeof parsed === "string" ? parsed : parsed.map((m) => (m.object.metadata as { name: string }).name)).toEqual(["a", "b"]);
  });

  it("reports what Argo CD's repo-server reports for unusable documents", () => {
    expect(parseDocuments("kind: ConfigMap\nmetadata: {name: a}\n", "t/a.yaml")).toMatch(/^failed to unmarshal "t\/a.yaml": Object 'apiVersion' is missing in/);
    expect(parseDocuments("a: 1\na: 2\n", "t/b.yaml")).toMatch(/^failed to unmarshal "t\/b.yaml": Map keys must be unique/);
    expect(parseDocuments("- 1\n- 2\n", "t/c.yaml")).toBe('failed to unmarshal "t/c.yaml": document 1 is not a mapping');
  });
});
