import { env } from "@/lib/config/env";
import { githubConfigFromEnv } from "@/lib/integrations/github/config";
import { createPlatformRepo, type PlatformRepo } from "@/lib/integrations/github/platform-repo";
import { createArgoClient, type ArgoClient } from "@/lib/integrations/kubernetes/argo";

/** The external systems the request lifecycle talks to, built once per process from the env. */
export type Platform = { repo: PlatformRepo; argo: ArgoClient };

const holder = globalThis as typeof globalThis & { __portalPlatform?: Platform };

export function platformFromEnv(): Platform {
  if (holder.__portalPlatform) return holder.__portalPlatform;
  const config = env();
  holder.__portalPlatform = {
    repo: createPlatformRepo(githubConfigFromEnv()),
    argo: createArgoClient({ kubeconfigPath: config.KUBECONFIG, namespace: config.ARGOCD_NAMESPACE, timeoutMs: config.KUBE_TIMEOUT_MS }),
  };
  return holder.__portalPlatform;
}
