import { SANDBOX_DEFAULTS, sandboxOptionsFromEnv } from "./config";
import { DEMO_USERS } from "./demo-users";
import { SANDBOX_MODELS } from "./models";
import { startSandbox } from "./start";

const options = sandboxOptionsFromEnv();
const sandbox = await startSandbox(options);
const { urls } = sandbox;

// Only the built-in sandbox secrets are printed; custom ones came from the environment.
const shown = (value: string, fallback: string, envName: string) => (value === fallback ? value : `(from ${envName})`);

const lines = [
  "Platform sandbox running:",
  `  Dex (OIDC)    ${urls.dexIssuer}  client ${sandbox.dex.clientId} / ${shown(sandbox.dex.clientSecret, SANDBOX_DEFAULTS.dexClientSecret, "SANDBOX_DEX_CLIENT_SECRET")}`,
  `  LiteLLM       ${urls.litellm}  master key ${shown(sandbox.litellm.masterKey, SANDBOX_DEFAULTS.litellmMasterKey, "SANDBOX_LITELLM_MASTER_KEY")}`,
  `  Model server  ${urls.vllm}  ${SANDBOX_MODELS.map((m) => m.id).join(", ")}`,
  `  GitHub        ${urls.github}  repo ${sandbox.github.owner}/${sandbox.github.repo} (${sandbox.github.repoPath})`,
  `  Kubernetes    ${urls.kube}  kubeconfig ${sandbox.cluster.kubeconfigPath}`,
  `  Gateway       ${urls.gateway}  endpoint picker over the GPU fleet (LiteLLM forwards here)`,
  urls.prometheus
    ? `  Prometheus    ${urls.prometheus}  data ${sandbox.prometheusDataDir} (KEDA stand-in scaling from it)`
    : process.env.SANDBOX_PROMETHEUS === undefined
      ? "  Prometheus    not installed (apt-get install prometheus, or npm run test:install): no dashboards data, no autoscaling"
      : "  Prometheus    off (SANDBOX_PROMETHEUS=0): no metrics, no autoscaling",
  `  LiteLLM state ${sandbox.litellm.statePath ?? "in memory (set SANDBOX_STATE_DIR to persist)"}`,
  "Demo users (password):",
  ...DEMO_USERS.map((u) => `  ${u.email.padEnd(22)} ${u.password.padEnd(16)} ${u.name} [${u.groups.join(", ")}]`),
];
console.log(lines.join("\n"));

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`Sandbox stopping (${signal})`);
  sandbox.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error("Sandbox did not stop cleanly:", err);
      process.exit(1);
    },
  );
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
