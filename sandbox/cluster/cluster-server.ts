import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { closeServer, listen } from "../http/listen";
import { createKubeApiServer } from "./api-server";
import { defaultHealthCheck, type HealthCheck } from "./health";
import { writeKubeconfig } from "./kubeconfig";
import { Reconciler } from "./reconciler";
import { findKind } from "./registry";
import { SchemaCatalog, defaultReferenceDir } from "./schemas";
import { ClusterStore } from "./store";

export interface ClusterOptions {
  /** Bare platform repo whose branch is reconciled; without it the cluster stays empty. */
  repoPath?: string;
  /** Default `main`. */
  branch?: string;
  /** `spec.source.repoURL` of generated Applications; default `file://<repoPath>`. */
  repoURL?: string;
  /** Default 6443; 0 picks a free port. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Host name written into the kubeconfig's server URL; default the bind host. */
  publicHost?: string;
  /** Bearer token clients must send; default `sandbox-kube-token`. */
  token?: string;
  /** Directory for the kubeconfig; a temporary one (removed on close) when neither it nor kubeconfigPath is set. */
  dataDir?: string;
  /** Default `${dataDir}/kubeconfig`. */
  kubeconfigPath?: string;
  /** How often the branch is polled; default 1000 ms. */
  pollMs?: number;
  /** How long each sync stays Running before it succeeds or fails; default 1500 ms. */
  syncDelayMs?: number;
  /** Health of live objects; default: workloads are Healthy as soon as they exist. */
  health?: HealthCheck;
  /** Where the CRDs and swagger live; default ../shared/reference (or SANDBOX_REFERENCE_DIR). */
  referenceDir?: string;
  /** Progress lines (syncs, failures); default silent. */
  log?: (message: string) => void;
}

export interface Cluster {
  /** API server base URL, e.g. http://127.0.0.1:6443 */
  url: string;
  port: number;
  token: string;
  kubeconfigPath: string;
  /** The in-memory cluster; `store.subscribe(fn)` / `store.on("change", fn)` see every change. */
  store: ClusterStore;
  /** Reconciles the branch now; resolves when the resulting syncs have finished. */
  reconcileNow(): Promise<void>;
  server: Server;
  close(): Promise<void>;
}

/** What every cluster has before anything is synced (argocd: where Argo CD itself runs). */
const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease", "argocd"];

export const CLUSTER_DEFAULTS = { port: 6443, host: "127.0.0.1", token: "sandbox-kube-token", branch: "main", pollMs: 1000, syncDelayMs: 1500 } as const;

/** Starts the Argo CD + Kubernetes API stand-in and writes its kubeconfig. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const o = { ...CLUSTER_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as ClusterOptions & typeof CLUSTER_DEFAULTS;
  const referenceDir = o.referenceDir ?? defaultReferenceDir();
  if (!existsSync(path.join(referenceDir, "crds"))) {
    throw new Error(`Cluster stand-in: CRD schemas not found under ${referenceDir} (set SANDBOX_REFERENCE_DIR)`);
  }
  const tempDir = o.dataDir || o.kubeconfigPath ? undefined : await mkdtemp(path.join(os.tmpdir(), "sandbox-kube-"));
  const kubeconfigPath = o.kubeconfigPath ?? path.join(o.dataDir ?? tempDir!, "kubeconfig");

  const store = new ClusterStore();
  const namespaceKind = findKind("v1", "Namespace")!;
  for (const name of SYSTEM_NAMESPACES) store.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name } }, namespaceKind);
  const server = createKubeApiServer({ store, token: o.token });
  const reconciler = new Reconciler({
    store,
    catalog: SchemaCatalog.shared(referenceDir),
    repoPath: o.repoPath,
    branch: o.branch,
    repoURL: o.repoURL ?? (o.repoPath ? `file://${path.resolve(o.repoPath)}` : ""),
    pollMs: o.pollMs,
    syncDelayMs: o.syncDelayMs,
    health: o.health ?? defaultHealthCheck,
    log: o.log ?? (() => {}),
  });
  const close = async () => {
    await reconciler.stop();
    await closeServer(server);
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
  try {
    const port = await listen(server, o.port, o.host);
    const url = `http://${o.publicHost ?? o.host}:${port}`;
    await writeKubeconfig(kubeconfigPath, url, o.token);
    reconciler.start();
    return { url, port, token: o.token, kubeconfigPath, store, reconcileNow: () => reconciler.reconcileNow(), server, close };
  } catch (err) {
    await close();
    throw err;
  }
}
