/**
 * Where the e2e stack listens: its own ports, so it never collides with `npm run dev`.
 * E2E_PORT_OFFSET shifts them all (the benchmark uses it to run beside a test run).
 */
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);
const portalPort = 3100 + offset;
const litellmPort = 4100 + offset;
const dexPort = 5656 + offset;

export const E2E = {
  portalUrl: `http://localhost:${portalPort}`,
  portalPort,
  dexPort,
  litellmPort,
  vllmPort: 8100 + offset,
  githubPort: 3950 + offset,
  kubePort: 6543 + offset,
  prometheusPort: 9190 + offset,
  prometheusUrl: `http://127.0.0.1:${9190 + offset}`,
  /** The stack's own control endpoint: POST /prometheus/stop|start (an outage on demand). */
  controlUrl: `http://127.0.0.1:${3190 + offset}`,
  controlPort: 3190 + offset,
  litellmUrl: `http://localhost:${litellmPort}`,
  dexIssuer: `http://localhost:${dexPort}/dex`,
  masterKey: "sk-e2e-master",
  githubUrl: `http://localhost:${3950 + offset}`,
  githubToken: "ghs_sandbox_token",
  githubRepo: "platform/platform-gitops",
} as const;
