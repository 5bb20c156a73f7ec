import type { Server } from "node:http";
import path from "node:path";
import { startCluster } from "./cluster-server";
import type { ClusterStore } from "./store";

/** What `startSandbox` hands out about the Argo CD + Kubernetes API stand-in. */
export interface SandboxCluster {
  /** Kubeconfig for `KubeConfig.loadFromFile` (context `sandbox`, bearer token). */
  kubeconfigPath: string;
  token: string;
  /** Reconciles the platform repo's main now; resolves when the resulting syncs finished. */
  reconcileNow(): Promise<void>;
  /** The in-memory cluster, for simulators: `store.subscribe(fn)`, `store.list({ kind })`. */
  store: ClusterStore;
}

interface WiringOptions {
  host: string;
  publicHost: string;
  kubePort: number;
  kubeToken?: string;
  kubeconfigPath?: string;
  stateDir?: string;
}

interface PlatformRepo {
  /** The bare repository the GitHub stand-in serves. */
  repoPath: string;
  owner: string;
  repo: string;
}

/**
 * Starts the cluster stand-in for `startSandbox`, reconciling the GitHub stand-in's repository.
 * The kubeconfig goes to `${stateDir}/kubeconfig` when state is kept (a temp dir otherwise). The
 * server is pushed onto `servers`; closing it also stops the reconciler.
 */
export async function startSandboxCluster(
  o: WiringOptions,
  servers: Server[],
  githubUrl: string,
  platform: PlatformRepo,
): Promise<{ url: string; info: SandboxCluster }> {
  const wildcard = o.host === "0.0.0.0" || o.host === "::";
  const cluster = await startCluster({
    repoPath: platform.repoPath,
    repoURL: `${githubUrl}/${platform.owner}/${platform.repo}.git`,
    port: o.kubePort,
    host: o.host,
    publicHost: wildcard ? o.publicHost : o.host,
    token: o.kubeToken,
    kubeconfigPath: o.kubeconfigPath ?? (o.stateDir ? path.join(o.stateDir, "kubeconfig") : undefined),
  });
  cluster.server.once("close", () => void cluster.close());
  servers.push(cluster.server);
  return {
    url: cluster.url,
    info: { kubeconfigPath: cluster.kubeconfigPath, token: cluster.token, reconcileNow: cluster.reconcileNow, store: cluster.store },
  };
}
