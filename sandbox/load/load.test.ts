import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../start";
import { waveConcurrency } from "./background";
import { parseDuration } from "./duration";
import { createLoadKey } from "./litellm-key";
import { startLoad } from "./run-load";

const run = promisify(execFile);

describe("parseDuration and waves", () => {
  it("reads the CLI's durations and refuses anything else", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("12")).toBe(12_000);
    for (const bad of ["", "0", "-5s", "5 m", "5d", "1e9", "5m; rm -rf", "9999h"]) expect(parseDuration(bad)).toBeUndefined();
  });

  it("waves between base and peak", () => {
    expect(waveConcurrency(2, 12, 600_000, 0)).toBe(2);
    expect(waveConcurrency(2, 12, 600_000, 300_000)).toBe(12);
    expect(waveConcurrency(2, 12, 600_000, 150_000)).toBe(7);
    expect(waveConcurrency(2, 12, 600_000, 0, Math.PI)).toBe(12);
  });
});

describe("load generator against the sandbox gateway", () => {
  let sandbox: Sandbox;
  const admin = (path: string, body?: unknown) =>
    fetch(`${sandbox.urls.litellm}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${sandbox.litellm.masterKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ dexPort: 0, litellmPort: 0, vllmPort: 0, githubPort: 0, kubePort: 0, tokenDelayMs: 0, prometheus: false });
    // The portal names teams by its tenant id and aliases them with the display name.
    expect((await admin("/team/new", { team_id: "tn_acme_01", team_alias: "Acme Research", models: ["qwen2.5-0.5b-instruct"] })).status).toBe(200);
  });
  afterAll(() => sandbox?.close());

  it("streams through LiteLLM with a key of the tenant's team and deletes the key afterwards", async () => {
    const key = await createLoadKey(sandbox.urls.litellm, sandbox.litellm.masterKey, { slug: "acme", displayName: "Acme Research" }, ["qwen2.5-0.5b-instruct"]);
    expect(key.teamId).toBe("tn_acme_01");
    const load = startLoad({ litellmUrl: sandbox.urls.litellm, apiKey: key.secret, model: "qwen2.5-0.5b-instruct", concurrency: 4, promptMix: "mixed", seed: 7 });
    await new Promise((r) => setTimeout(r, 1_500));
    const total = await load.stop();
    expect(total.errors).toBe(0);
    expect(total.ok).toBeGreaterThan(4);
    expect(total.ttftP50Ms).toBeGreaterThan(0);
    expect(total.outputTokens).toBeGreaterThan(total.ok);
    expect(total.inFlight).toBe(0);

    // The spend landed on the tenant's team, as real traffic's would.
    const info = (await (await admin(`/team/info?team_id=tn_acme_01`)).json()) as { team_info: { spend: number } };
    expect(info.team_info.spend).toBeGreaterThan(0);

    await key.delete();
    expect((await admin(`/key/info?key=${encodeURIComponent(key.secret)}`)).status).toBe(404);
  });

  it("counts refusals as errors by status (a model outside the key)", async () => {
    const key = await createLoadKey(sandbox.urls.litellm, sandbox.litellm.masterKey, { slug: "acme", displayName: "Acme Research" }, ["qwen2.5-0.5b-instruct"]);
    const load = startLoad({ litellmUrl: sandbox.urls.litellm, apiKey: key.secret, model: "llama-3.1-70b-instruct", concurrency: 2, promptMix: "short" });
    await new Promise((r) => setTimeout(r, 600));
    const total = await load.stop();
    await key.delete();
    expect(total.ok).toBe(0);
    expect(total.errors).toBeGreaterThan(0);
    expect(Object.keys(total.errorsBy).every((k) => /^4\d\d$/.test(k))).toBe(true);
  });

  it("names the way out when the tenant has no team", async () => {
    await expect(createLoadKey(sandbox.urls.litellm, sandbox.litellm.masterKey, { slug: "initech" }, ["qwen2.5-0.5b-instruct"])).rejects.toThrow(/--team/);
  });

  it("CLI rejects bad arguments before sending anything", async () => {
    const err = await run("node_modules/.bin/tsx", ["sandbox/load/main.ts", "--tenant", "ACME;x", "--model", "m", "--duration", "forever"]).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toMatch(/--tenant.*--duration|--duration.*--tenant/);
  });
});
