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
}

export interface Sandbox {
  urls: SandboxUrls;
  dex: { clientId: string; clientSecret: string; redirectUri: string };
  litellm: { masterKey: string; statePath: string | undefined };
  github: SandboxGitHub;
  cluster: SandboxCluster;
  close(): Promise<void>;
}

/** Starts Dex, LiteLLM and the model-server stand-ins in this process. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const o = { ...SANDBOX_DEFAULTS, ...definedOnly(options) };
  const servers: Server[] = [];
  let stateFile: StateFile | undefined;
  const close = async () => {
    await Promise.all(servers.map(closeServer));
    await stateFile?.flush();
  };
  const url = (port: number) => `http://${o.publicHost}:${port}`;

  try {
    const vllm = createVllmSimulator({ models: SANDBOX_MODELS, tokenDelayMs: o.tokenDelayMs });
    servers.push(vllm.server);
    const vllmUrl = url(await listen(vllm.server, o.vllmPort, o.host));

    stateFile = o.stateDir ? new StateFile(o.stateDir) : undefined;
    const store: LiteLLMStore = new LiteLLMStore(() => stateFile?.schedule(() => store.snapshot()));
    const saved = stateFile?.load();
    if (saved) store.load(saved);
    const litellmServer = createLiteLLMServer(store, {
      masterKey: o.litellmMasterKey,
      upstreamUrl: o.vllmUrl ?? vllmUrl,
      models: SANDBOX_MODELS,
    });
    servers.push(litellmServer);
    const litellmUrl = url(await listen(litellmServer, o.litellmPort, o.host));

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

    const portal = o.portalUrl.replace(/\/$/, "");
    return {
      urls: { dexIssuer, litellm: litellmUrl, vllm: vllmUrl, portal, github: github.url, kube: cluster.url },
      dex: { clientId: o.dexClientId, clientSecret: o.dexClientSecret, redirectUri: `${portal}/api/auth/callback/dex` },
      litellm: { masterKey: o.litellmMasterKey, statePath: stateFile?.path },
      github: github.info,
      cluster: cluster.info,
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
