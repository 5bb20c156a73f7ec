/**
 * The API types the stand-in's "API server" knows, like the discovery of a cluster that has the
 * platform's CRDs installed. Plurals, scopes and served versions are copied from the CRD files in
 * ../shared/reference/crds (registry.test.ts checks them) so that serving a REST path never needs
 * to parse a multi-megabyte CRD; the schemas themselves load lazily in schemas.ts.
 */

export interface KindInfo {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  /** Served versions; the first is the storage/preferred one. */
  versions: string[];
  shortNames: string[];
  schema: { source: "core"; definition: string } | { source: "crd"; file: string };
}

const core = (
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[],
  definition: string,
): KindInfo => ({
  group,
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  versions: [version],
  shortNames,
  schema: { source: "core", definition },
});

const crd = (
  file: string,
  group: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  versions: string[],
  shortNames: string[] = [],
): KindInfo => ({
  group,
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  versions,
  shortNames,
  schema: { source: "crd", file },
});

/** Kinds of swagger-subset-core.json (Kubernetes release-1.36 definitions). */
const CORE_KINDS: KindInfo[] = [
  core("", "v1", "Namespace", "namespaces", false, ["ns"], "io.k8s.api.core.v1.Namespace"),
  core("", "v1", "ResourceQuota", "resourcequotas", true, ["quota"], "io.k8s.api.core.v1.ResourceQuota"),
  core("", "v1", "LimitRange", "limitranges", true, ["limits"], "io.k8s.api.core.v1.LimitRange"),
  core("", "v1", "Service", "services", true, ["svc"], "io.k8s.api.core.v1.Service"),
  core("", "v1", "ServiceAccount", "serviceaccounts", true, ["sa"], "io.k8s.api.core.v1.ServiceAccount"),
  core("", "v1", "Secret", "secrets", true, [], "io.k8s.api.core.v1.Secret"),
  core("", "v1", "ConfigMap", "configmaps", true, ["cm"], "io.k8s.api.core.v1.ConfigMap"),
  core("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, ["pvc"], "io.k8s.api.core.v1.PersistentVolumeClaim"),
  core("apps", "v1", "Deployment", "deployments", true, ["deploy"], "io.k8s.api.apps.v1.Deployment"),
  core("apps", "v1", "StatefulSet", "statefulsets", true, ["sts"], "io.k8s.api.apps.v1.StatefulSet"),
  core("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, ["netpol"], "io.k8s.api.networking.v1.NetworkPolicy"),
  core("rbac.authorization.k8s.io", "v1", "Role", "roles", true, [], "io.k8s.api.rbac.v1.Role"),
  core("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, [], "io.k8s.api.rbac.v1.RoleBinding"),
  core("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, [], "io.k8s.api.rbac.v1.ClusterRole"),
  core("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, [], "io.k8s.api.rbac.v1.ClusterRoleBinding"),
  core("batch", "v1", "Job", "jobs", true, [], "io.k8s.api.batch.v1.Job"),
  core("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, ["pdb"], "io.k8s.api.policy.v1.PodDisruptionBudget"),
  core("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, ["hpa"], "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler"),
];

/**
 * CRDs of the platform at the releases recorded in SOURCES.md. Deliberately absent: the
 * x-k8s.io v1alpha2 InferencePool and InferenceModel (removed upstream), so a template that
 * still uses them fails here as it would on the real cluster.
 */
const CRD_KINDS: KindInfo[] = [
  crd("argocd-application-crd.yaml", "argoproj.io", "Application", "applications", true, ["v1alpha1"], ["app", "apps"]),
  crd("argocd-applicationset-crd.yaml", "argoproj.io", "ApplicationSet", "applicationsets", true, ["v1alpha1"], ["appset", "appsets"]),
  crd("eso-externalsecrets-crd.yaml", "external-secrets.io", "ExternalSecret", "externalsecrets", true, ["v1"], ["es"]),
  crd("eso-clustersecretstores-crd.yaml", "external-secrets.io", "ClusterSecretStore", "clustersecretstores", false, ["v1"], ["css"]),
  crd("gatewayapi-gatewayclasses-crd.yaml", "gateway.networking.k8s.io", "GatewayClass", "gatewayclasses", false, ["v1", "v1beta1"], ["gc"]),
  crd("gatewayapi-gateways-crd.yaml", "gateway.networking.k8s.io", "Gateway", "gateways", true, ["v1", "v1beta1"], ["gtw"]),
  crd("gatewayapi-httproutes-crd.yaml", "gateway.networking.k8s.io", "HTTPRoute", "httproutes", true, ["v1", "v1beta1"]),
  crd("gatewayapi-referencegrants-crd.yaml", "gateway.networking.k8s.io", "ReferenceGrant", "referencegrants", true, ["v1beta1", "v1"], ["refgrant"]),
  crd("gie-inferencepool-v1-crd.yaml", "inference.networking.k8s.io", "InferencePool", "inferencepools", true, ["v1"], ["infpool"]),
  crd("gie-inferencepoolimport-v1alpha1-crd.yaml", "inference.networking.x-k8s.io", "InferencePoolImport", "inferencepoolimports", true, ["v1alpha1"], ["infpimp"]),
  crd("gie-inferenceobjective-v1alpha2-crd.yaml", "inference.networking.x-k8s.io", "InferenceObjective", "inferenceobjectives", true, ["v1alpha2"]),
  crd("gie-inferencemodelrewrite-v1alpha2-crd.yaml", "inference.networking.x-k8s.io", "InferenceModelRewrite", "inferencemodelrewrites", true, ["v1alpha2"]),
  crd("keda-scaledobjects-crd.yaml", "keda.sh", "ScaledObject", "scaledobjects", true, ["v1alpha1"], ["so"]),
  crd("keda-triggerauthentications-crd.yaml", "keda.sh", "TriggerAuthentication", "triggerauthentications", true, ["v1alpha1"], ["ta", "triggerauth"]),
  crd("keda-clustertriggerauthentications-crd.yaml", "keda.sh", "ClusterTriggerAuthentication", "clustertriggerauthentications", false, ["v1alpha1"], ["cta", "clustertriggerauth"]),
  crd("kserve-inferenceservices-crd.yaml", "serving.kserve.io", "InferenceService", "inferenceservices", true, ["v1beta1"], ["isvc"]),
  crd("kserve-servingruntimes-crd.yaml", "serving.kserve.io", "ServingRuntime", "servingruntimes", true, ["v1alpha1"]),
  crd("kserve-clusterservingruntimes-crd.yaml", "serving.kserve.io", "ClusterServingRuntime", "clusterservingruntimes", false, ["v1alpha1"]),
  crd("kyverno-clusterpolicies-crd.yaml", "kyverno.io", "ClusterPolicy", "clusterpolicies", false, ["v1", "v2beta1"], ["cpol"]),
  crd("kyverno-validatingpolicies-crd.yaml", "policies.kyverno.io", "ValidatingPolicy", "validatingpolicies", false, ["v1beta1", "v1", "v1alpha1"], ["vpol"]),
  crd("lws-leaderworkersets-crd.yaml", "leaderworkerset.x-k8s.io", "LeaderWorkerSet", "leaderworkersets", true, ["v1"], ["lws"]),
];

export const KINDS: readonly KindInfo[] = [...CORE_KINDS, ...CRD_KINDS];

/** Splits `apps/v1` → {group: "apps", version: "v1"} and `v1` → {group: "", version: "v1"}. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export const formatApiVersion = (group: string, version: string) => (group ? `${group}/${version}` : version);

/** The kind as served at `apiVersion`, or undefined (kubectl's "no matches for kind"). */
export function findKind(apiVersion: string, kind: string): KindInfo | undefined {
  const { group, version } = parseApiVersion(apiVersion);
  return KINDS.find((k) => k.group === group && k.kind === kind && k.versions.includes(version));
}

/** The kind behind a REST path segment (`/apis/{group}/{version}/.../{plural}`). */
export function findResource(group: string, version: string, plural: string): KindInfo | undefined {
  return KINDS.find((k) => k.group === group && k.plural === plural && k.versions.includes(version));
}

/** `deployments.apps`, `services`: the name Kubernetes uses for a resource in messages. */
export const qualifiedResource = (k: Pick<KindInfo, "plural" | "group">) => (k.group ? `${k.plural}.${k.group}` : k.plural);

/** `Deployment.apps`, `Service`: the kind as kubectl names it in "is invalid" messages. */
export const qualifiedKind = (k: Pick<KindInfo, "kind" | "group">) => (k.group ? `${k.kind}.${k.group}` : k.kind);
