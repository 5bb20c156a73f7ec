import { OMIT, type TemplateValues } from "./template-engine";
import { registryOf, type RenderContext } from "./context";
import type { TenantOnboardingRequest } from "./requests";
import type { FilePlan } from "./file-plan";

export function tenantDir(tenant: string): string {
  return `tenants/${tenant}`;
}

const TENANT_TEMPLATES = [
  "namespace.yaml",
  "resource-quota.yaml",
  "limit-range.yaml",
  "service-account.yaml",
  "role-tenant-admin.yaml",
  "rolebinding-admins.yaml",
  "rolebinding-members.yaml",
  "netpol-default-deny.yaml",
  "netpol-allow-dns.yaml",
  "netpol-allow-gateway.yaml",
  "netpol-allow-monitoring.yaml",
  "netpol-endpoint-picker.yaml",
  "netpol-model-server.yaml",
  "policy-require-tenant-label.yaml",
  "policy-disallow-privileged.yaml",
  "policy-allowed-registries.yaml",
  "externalsecret-litellm-key.yaml",
  "externalsecret-hf-token.yaml",
] as const;

/**
 * Registries a tenant's pods may pull from: its own, plus those of the platform's images (a
 * tenant must always be able to run the model servers the portal deploys for it).
 */
export function allowedRegistries(request: TenantOnboardingRequest, context: RenderContext): string[] {
  const platform = [context.vllmImage, context.eppImage, context.routingSidecarImage].map(registryOf);
  return [...new Set([...request.allowedRegistries, ...platform, ...context.platformRegistries])].sort();
}

export function tenantPlans(request: TenantOnboardingRequest, context: RenderContext): FilePlan[] {
  const registries = allowedRegistries(request, context);
  const values: TemplateValues = {
    tenant: request.tenant,
    displayName: request.displayName,
    costCenter: request.costCenter ?? OMIT,
    gpuType: request.quota.gpuType,
    quotaGpus: request.quota.gpus,
    quotaCpu: request.quota.cpu,
    quotaMemory: `${request.quota.memoryGi}Gi`,
    adminGroups: request.adminGroups,
    memberGroups: request.memberGroups,
    hasMemberGroups: request.memberGroups.length > 0,
    dnsNamespace: context.dnsNamespace,
    gatewayNamespace: context.gatewayNamespace,
    monitoringNamespace: context.monitoringNamespace,
    kubeApiServerCidrs: context.kubeApiServerCidrs,
    modelDownloadCidrs: context.modelDownloadCidrs,
    // A CEL list literal. Registry hosts are validated to [a-z0-9.:-], so JSON string quoting is
    // also valid CEL quoting and nothing in them can end the literal.
    allowedRegistriesCel: JSON.stringify(registries),
    allowedRegistriesList: registries.join(", "),
    clusterSecretStore: context.clusterSecretStore,
    litellmKeyRemoteKey: `${context.litellmKeyRemotePrefix}/${request.tenant}`,
    hfTokenRemoteKey: context.hfTokenRemoteKey,
  };
  return TENANT_TEMPLATES.map((file) => ({
    template: `tenant/${file}`,
    path: `${tenantDir(request.tenant)}/${file}`,
    values,
  }));
}

export function applicationSetPlan(context: RenderContext): FilePlan {
  return {
    template: "argocd/applicationset.yaml",
    path: APPLICATION_SET_PATH,
    values: {
      argocdNamespace: context.argocdNamespace,
      argoProject: context.argoProject,
      repoUrl: context.repoUrl,
      repoRevision: context.repoRevision,
    },
  };
}

export const APPLICATION_SET_PATH = "argocd/applicationset.yaml";
