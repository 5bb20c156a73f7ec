import { createServer, type Server } from "node:http";
import { SANDBOX_DEFAULTS, type SandboxOptions } from "./config";
import { startSandboxCluster, type SandboxCluster } from "./cluster/sandbox-wiring";
import { attachDex } from "./dex/dex-server";
import { startSandboxGitHub, type SandboxGitHub } from "./github/sandbox-wiring";
import { closeServer, listen } from "./http/listen";
import { createLiteLLMServer } from "./litellm/litellm-server";
import { StateFile } from "./litellm/persistence";
import { LiteLLMStore } from "./litellm/store";
import { SANDBOX_MODELS } from "./models";
import { createVllmSimulator } from "./vllm/vllm-server";
import { startFleet } from "./fleet/fleet";
import { startKServeController } from "./kserve/controller";
import { startOpenCost } from "./opencost/opencost-server";
import { createGateway } from "./fleet/gateway";
import type { Fleet } from "./fleet/types";
import type { KedaStandIn } from "./keda/keda";
import { startSandboxTelemetry, type SandboxTelemetry } from "./prometheus/sandbox-wiring";

export type { SandboxOptions } from "./config";

export interface SandboxUrls {
  /** OIDC issuer, e.g. http://localhost:5556/dex */
  dexIssuer: string;
  /** LiteLLM proxy base URL (management API and /v1 gateway). */
  litellm: string;
  /** Model-server simulator base URL (OpenAI-compatible /v1). */
  vllm: string;
  /** Portal base URL the Dex client redirects to. */
  portal: string;
  /** GitHub REST API stand-in base URL (Octokit `baseUrl`). */
  github: string;
  /** Kubernetes API stand-in (Argo CD + applied objects); use `cluster.kubeconfigPath`. */
  kube: string;
  /** Inference gateway (endpoint picker over the fleet) LiteLLM forwards to. */
  gateway: string;
  /** The real Prometheus scraping the fleet; unset when started with `prometheus: false`. */
  prometheus?: string;
  /** OpenCost allocation API stand-in (`OPENCOST_URL`). */
  opencost: string;
}

export interface Sandbox {
  urls: SandboxUrls;
  dex: { clientId: string; clientSecret: string; redirectUri: string };
  litellm: { masterKey: string; statePath: string | undefined };
  github: SandboxGitHub;
  cluster: SandboxCluster;
  /** The simulated GPU fleet running the cluster's model Deployments. */
  fleet: Fleet;
  /** The KEDA stand-in (only with Prometheus). */
  keda?: KedaStandIn;
  /** Prometheus + KEDA, when Prometheus runs: `stopPrometheus()` / `startPrometheus()` simulate an outage. */
  telemetry?: SandboxTelemetry;
  /** Prometheus's data dir (TSDB, config, log), when it runs. */
  prometheusDataDir?: string;
  close(): Promise<void>;
}

/**
 * Starts Dex, the GitHub and Argo CD + Kubernetes stand-ins, the GPU fleet with its inference
 * gateway, LiteLLM (forwarding to the gateway) and, unless `prometheus` is off, the real
 * Prometheus and the KEDA stand-in, in this process.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const o = { ...SANDBOX_DEFAULTS, ...definedOnly(options) };
  const servers: Server[] = [];
  // Stopped before the servers, in reverse start order (KEDA/Prometheus, then the fleet).
  const stoppers: Array<() => Promise<void>> = [];
  let stateFile: StateFile | undefined;
  const close = async () => {
    for (const stop of stoppers.reverse()) await stop().catch((err: unknown) => console.error("sandbox: stop failed:", err));
    stoppers.length = 0;
    await Promise.all(servers.map(closeServer));
    await stateFile?.flush();
  };
  const url = (port: number) => `http://${o.publicHost}:${port}`;

  try {
    const vllm = createVllmSimulator({ models: SANDBOX_MODELS, tokenDelayMs: o.tokenDelayMs });
    servers.push(vllm.server);
    const vllmUrl = url(await listen(vllm.server, o.vllmPort, o.host));

    const dexServer = createServer();
    servers.push(dexServer);
    const dexIssuer = `${url(await listen(dexServer, o.dexPort, o.host))}/dex`;
    await attachDex(dexServer, dexIssuer, {
      clientId: o.dexClientId,
      clientSecret: o.dexClientSecret,
      portalUrl: o.portalUrl,
    });

    const github = await startSandboxGitHub(o, servers, url, options);
    const cluster = await startSandboxCluster(o, servers, github.url, github.info);

    const wildcard = o.host === "0.0.0.0" || o.host === "::";
    const fleet = await startFleet({ store: cluster.info.store, host: o.host, publicHost: wildcard ? o.publicHost : o.host, modelLoadMs: o.modelLoadMs });
    stoppers.push(() => fleet.close());
    // KServe's raw-deployment controller turns InferenceServices into predictor Deployments the fleet runs.
    const kserve = startKServeController(cluster.info.store);
    stoppers.push(async () => kserve.close());
    // OpenCost records the cluster's history from now on (pods × requests × nodes) and prices it.
    const opencost = await startOpenCost({ store: cluster.info.store, host: o.host, port: o.opencostPort });
    stoppers.push(() => opencost.close());
    const opencostUrl = `http://${wildcard ? "127.0.0.1" : o.host}:${new URL(opencost.url).port}`;
    const gateway = createGateway({ fleet, fallbackUrl: vllmUrl });
    servers.push(gateway);
    const gatewayUrl = `http://${wildcard ? "127.0.0.1" : o.host}:${await listen(gateway, 0, o.host)}`;

    stateFile = o.stateDir ? new StateFile(o.stateDir) : undefined;
    const store: LiteLLMStore = new LiteLLMStore(() => stateFile?.schedule(() => store.snapshot()));
    const saved = stateFile?.load();
    if (saved) store.load(saved);
    const litellmServer = createLiteLLMServer(store, {
      masterKey: o.litellmMasterKey,
      upstreamUrl: o.vllmUrl ?? gatewayUrl,
      models: SANDBOX_MODELS,
    });
    servers.push(litellmServer);
    const litellmUrl = url(await listen(litellmServer, o.litellmPort, o.host));

    const telemetry = o.prometheus ? await startSandboxTelemetry(o, cluster.info.store, fleet) : undefined;
    if (telemetry) stoppers.push(() => telemetry.close());

    const portal = o.portalUrl.replace(/\/$/, "");
    return {
      urls: {
        dexIssuer,
        litellm: litellmUrl,
        vllm: vllmUrl,
        portal,
        github: github.url,
        kube: cluster.url,
        gateway: gatewayUrl,
        prometheus: telemetry?.prometheus.url,
        opencost: opencostUrl,
      },
      dex: { clientId: o.dexClientId, clientSecret: o.dexClientSecret, redirectUri: `${portal}/api/auth/callback/dex` },
      litellm: { masterKey: o.litellmMasterKey, statePath: stateFile?.path },
      github: github.info,
      cluster: cluster.info,
      fleet,
      keda: telemetry?.keda,
      telemetry,
      prometheusDataDir: telemetry?.prometheus.dataDir,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Drops undefined entries so they do not override defaults when spread. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
