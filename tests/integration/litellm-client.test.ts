import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "@/sandbox/start";
import { createLiteLLMClient, type LiteLLMClient } from "@/lib/integrations/litellm/client";
import { IntegrationError } from "@/lib/integrations/http";
import { newKeySecret } from "@/lib/keys/secret";
import { toUserError } from "@/lib/keys/litellm-mapping";
import { AppError } from "@/lib/http/errors";

// The portal's LiteLLM client against the sandbox stand-in over real HTTP: field names,
// status codes and error mapping are what the portal relies on in production.
let sandbox: Sandbox;
let litellm: LiteLLMClient;
const team = `team-${Date.now()}`;

beforeAll(async () => {
  sandbox = await startSandbox({ dexPort: 0, litellmPort: 0, vllmPort: 0, githubPort: 0, kubePort: 0, tokenDelayMs: 0 });
  litellm = createLiteLLMClient({ baseUrl: sandbox.urls.litellm, masterKey: sandbox.litellm.masterKey, timeoutMs: 5_000 });
});
afterAll(async () => sandbox.close());

async function chat(secret: string, model = "qwen2.5-0.5b-instruct") {
  return fetch(`${sandbox.urls.litellm}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], max_tokens: 8 }),
  });
}

describe("LiteLLM client against the sandbox", () => {
  it("creates, reads and updates a team", async () => {
    const created = await litellm.createTeam({ team_id: team, team_alias: "Team", models: ["qwen2.5-0.5b-instruct"], max_budget: 5, budget_duration: "1mo", rpm_limit: 100, tpm_limit: null });
    expect(created).toMatchObject({ team_id: team, max_budget: 5, models: ["qwen2.5-0.5b-instruct"], rpm_limit: 100 });
    await litellm.updateTeam({ team_id: team, max_budget: 7 });
    const info = await litellm.teamInfo(team);
    expect(info.team_info.max_budget).toBe(7);
    expect(info.team_info.spend).toBe(0);
  });

  it("maps a missing team to a 404 IntegrationError", async () => {
    const error = await litellm.teamInfo("no-such-team").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect((error as IntegrationError).status).toBe(404);
    expect((error as IntegrationError).ambiguous).toBe(false);
  });

  it("generates a key with a portal-chosen secret, finds it by hash, and records spend", async () => {
    const { secret, tokenHash } = newKeySecret();
    const generated = await litellm.generateKey({ key: secret, key_alias: `${team}/a`, team_id: team, models: ["qwen2.5-0.5b-instruct"], duration: "1d" });
    expect(generated.key).toBe(secret);
    const info = await litellm.keyInfo(tokenHash);
    expect(info.info.token).toBe(tokenHash);
    expect(JSON.stringify(info.info)).not.toContain(secret);
    expect((await chat(secret)).status).toBe(200);
    const listed = await litellm.listKeys(team);
    const row = listed.find((k) => k.token === tokenHash);
    expect(row?.spend).toBeGreaterThan(0);
  });

  it("turns LiteLLM's refusal into a clear user error, not a stack trace", async () => {
    const { secret } = newKeySecret();
    const error = await litellm
      .generateKey({ key: secret, key_alias: `${team}/b`, team_id: team, models: ["llama-3.1-70b-instruct"], duration: "1d" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect((error as IntegrationError).status).toBe(400);
    const mapped = toUserError(error);
    expect(mapped).toBeInstanceOf(AppError);
    expect((mapped as AppError).message).toMatch(/llama-3.1-70b-instruct/);
  });

  it("regenerates to a new secret and deletes", async () => {
    const first = newKeySecret();
    await litellm.generateKey({ key: first.secret, key_alias: `${team}/c`, team_id: team, models: [], duration: "1d" });
    const second = newKeySecret();
    const regenerated = await litellm.regenerateKey(first.tokenHash, second.secret);
    expect(regenerated.key).toBe(second.secret);
    expect((await chat(first.secret)).status).toBe(401);
    expect((await chat(second.secret)).status).toBe(200);
    await litellm.deleteKeys([second.tokenHash]);
    expect((await chat(second.secret)).status).toBe(401);
    const again = await litellm.deleteKeys([second.tokenHash]).catch((e: unknown) => e);
    expect((again as IntegrationError).status).toBe(404);
  });

  it("refuses a wrong master key with 401", async () => {
    const wrong = createLiteLLMClient({ baseUrl: sandbox.urls.litellm, masterKey: "sk-wrong", timeoutMs: 2_000 });
    const error = await wrong.teamInfo(team).catch((e: unknown) => e);
    expect((error as IntegrationError).status).toBe(401);
  });

  it("reports an unreachable LiteLLM as ambiguous without leaking the master key", async () => {
    const down = createLiteLLMClient({ baseUrl: "http://127.0.0.1:9", masterKey: "sk-secret-master-key", timeoutMs: 500 });
    const error = await down.teamInfo(team).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect((error as IntegrationError).ambiguous).toBe(true);
    expect((error as Error).message).not.toContain("sk-secret-master-key");
  });
});
