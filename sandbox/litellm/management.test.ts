import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../start";
import {
  deleteKeysResponse,
  errorResponse,
  generateKeyResponse,
  keyInfoResponse,
  keyListResponse,
  keyRow,
  teamInfoResponse,
  teamListResponse,
  teamRow,
  teamUpdateResponse,
} from "../test-support/litellm-contract";
import { litellmApi, uniqueId, type LiteLLMApi } from "../test-support/litellm-api";

let sandbox: Sandbox;
let api: LiteLLMApi;

beforeAll(async () => {
  sandbox = await startSandbox({ dexPort: 0, litellmPort: 0, vllmPort: 0, githubPort: 0, kubePort: 0, tokenDelayMs: 0 });
  api = litellmApi(sandbox.urls.litellm, sandbox.litellm.masterKey);
});
afterAll(() => sandbox?.close());

async function newTeam(fields: Record<string, unknown> = {}) {
  const res = await api.post("/team/new", { team_id: uniqueId("team"), models: ["qwen2.5-0.5b-instruct", "llama-3.1-8b-instruct"], max_budget: 10, ...fields });
  expect(res.status, res.text).toBe(200);
  return teamRow.parse(res.body);
}

function expectError(res: { status: number; body: unknown }, status: number, message?: RegExp) {
  expect(res.status).toBe(status);
  const body = errorResponse.parse(res.body);
  expect(body.error.code).toBe(String(status));
  if (message) expect(body.error.message).toMatch(message);
  return body.error;
}

describe("LiteLLM stand-in: auth and health", () => {
  it("answers health probes without a key", async () => {
    const live = await api.get("/health/liveliness", null);
    expect(live.status).toBe(200);
    expect(live.body).toBe("I'm alive!");
    const ready = await api.get("/health/readiness", null);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: "healthy" });
  });

  it.each([
    ["no key", null],
    ["a wrong key", "sk-not-the-master"],
  ])("refuses management calls with %s (401)", async (_name, key) => {
    expectError(await api.get("/team/list", key), 401, /Authentication Error/);
    expectError(await api.post("/key/generate", {}, key), 401, /Authentication Error/);
    expectError(await api.get("/spend/logs", key), 401);
  });

  it("refuses management calls made with a virtual key", async () => {
    const generated = generateKeyResponse.parse((await api.post("/key/generate", {})).body);
    expectError(await api.get(`/key/info?key=${generated.key}`, generated.key), 401, /master key/);
  });

  it("answers unknown routes like FastAPI", async () => {
    const res = await api.get("/nope");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: "Not Found" });
  });
});

describe("LiteLLM stand-in: teams", () => {
  it("creates a team and refuses a duplicate team_id with 400", async () => {
    const team = await newTeam({ team_alias: "Acme", budget_duration: "30d", rpm_limit: 100, metadata: { tenant: "acme" } });
    expect(team).toMatchObject({ team_alias: "Acme", spend: 0, max_budget: 10, rpm_limit: 100, blocked: false, metadata: { tenant: "acme" } });
    expect(new Date(team.budget_reset_at!).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const dup = await api.post("/team/new", { team_id: team.team_id });
    expectError(dup, 400, /already exists/);
  });

  it("generates a team_id when none is given", async () => {
    const res = await api.post("/team/new", { team_alias: "no-id" });
    expect(teamRow.parse(res.body).team_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("updates a team and answers {team_id, data}", async () => {
    const team = await newTeam();
    const res = await api.post("/team/update", { team_id: team.team_id, max_budget: 25, models: ["qwen2.5-0.5b-instruct"] });
    expect(res.status).toBe(200);
    const body = teamUpdateResponse.parse(res.body);
    expect(body.team_id).toBe(team.team_id);
    expect(body.data).toMatchObject({ max_budget: 25, models: ["qwen2.5-0.5b-instruct"] });
    expectError(await api.post("/team/update", { team_id: "missing-team", max_budget: 1 }), 404, /Team not found/);
  });

  it("serves team info with keys and lists teams", async () => {
    const team = await newTeam();
    const key = generateKeyResponse.parse((await api.post("/key/generate", { team_id: team.team_id })).body);
    const info = teamInfoResponse.parse((await api.get(`/team/info?team_id=${team.team_id}`)).body);
    expect(info.team_id).toBe(team.team_id);
    expect(info.team_info.team_id).toBe(team.team_id);
    expect(info.keys.map((k) => k.token)).toEqual([key.token]);
    expect(JSON.stringify(info)).not.toContain(key.key);
    expectError(await api.get("/team/info?team_id=missing-team"), 404);

    const list = teamListResponse.parse((await api.get("/team/list")).body);
    expect(list.map((t) => t.team_id)).toContain(team.team_id);
  });

  it("rejects malformed bodies with FastAPI's 422", async () => {
    const res = await api.post("/team/new", { max_budget: "lots" });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ detail: [{ loc: ["body", "max_budget"] }] });
  });
});

describe("LiteLLM stand-in: keys", () => {
  it("generates a user-defined key and stores only its hash", async () => {
    const team = await newTeam();
    const secret = `sk-${uniqueId("userdefined")}`;
    const res = await api.post("/key/generate", {
      key: secret,
      key_alias: uniqueId("alias"),
      team_id: team.team_id,
      user_id: "ada",
      models: ["qwen2.5-0.5b-instruct"],
      max_budget: 5,
      duration: "30d",
      rpm_limit: 10,
      metadata: { request: "r-1" },
    });
    expect(res.status, res.text).toBe(200);
    const generated = generateKeyResponse.parse(res.body);
    const hash = createHash("sha256").update(secret).digest("hex");
    expect(generated).toMatchObject({ key: secret, token: hash, token_id: hash, key_name: `sk-...${secret.slice(-4)}`, team_id: team.team_id, max_budget: 5 });
    expect(new Date(generated.expires!).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const bySecret = keyInfoResponse.parse((await api.get(`/key/info?key=${encodeURIComponent(secret)}`)).body);
    const byHash = keyInfoResponse.parse((await api.get(`/key/info?key=${hash}`)).body);
    expect(bySecret.info.token).toBe(hash);
    expect(byHash.info).toEqual(bySecret.info);
    expect(byHash.key).toBe(hash);
    expect(JSON.stringify(byHash)).not.toContain(secret);
    expect(JSON.stringify(bySecret.info)).not.toContain(secret);
    expect(bySecret.info).toMatchObject({ user_id: "ada", models: ["qwen2.5-0.5b-instruct"], rpm_limit: 10, metadata: { request: "r-1" }, spend: 0 });
  });

  it("generates a random sk- key when none is given", async () => {
    const generated = generateKeyResponse.parse((await api.post("/key/generate", {})).body);
    expect(generated.key).toMatch(/^sk-[\w-]{20,}$/);
    expect(generated.expires).toBeNull();
  });

  it("refuses duplicate secrets, duplicate aliases and secrets without sk-", async () => {
    const secret = `sk-${uniqueId("dup")}`;
    const alias = uniqueId("alias");
    expect((await api.post("/key/generate", { key: secret, key_alias: alias })).status).toBe(200);
    expectError(await api.post("/key/generate", { key: secret }), 400, /already exists/);
    expectError(await api.post("/key/generate", { key_alias: alias }), 400, /alias/);
    expectError(await api.post("/key/generate", { key: "not-a-virtual-key" }), 400, /sk-/);
  });

  it("refuses models outside the team and budgets above the team's", async () => {
    const team = await newTeam();
    expectError(await api.post("/key/generate", { team_id: team.team_id, models: ["llama-3.1-70b-instruct"] }), 400, /llama-3\.1-70b-instruct/);
    expectError(await api.post("/key/generate", { team_id: team.team_id, max_budget: 11 }), 400, /max budget/);
    expectError(await api.post("/key/generate", { team_id: "missing-team" }), 400, /Team/);
    expect((await api.post("/key/generate", { team_id: team.team_id, max_budget: 10, models: ["llama-3.1-8b-instruct"] })).status).toBe(200);
  });

  it("lists keys by team, as hashes or full rows, paged like LiteLLM", async () => {
    const team = await newTeam();
    const tokens = [];
    for (let i = 0; i < 3; i++) tokens.push(generateKeyResponse.parse((await api.post("/key/generate", { team_id: team.team_id })).body).token);
    const hashes = keyListResponse.parse((await api.get(`/key/list?team_id=${team.team_id}`)).body);
    expect(hashes).toMatchObject({ total_count: 3, current_page: 1, total_pages: 1 });
    expect([...hashes.keys].sort()).toEqual([...tokens].sort());

    const full = keyListResponse.parse((await api.get(`/key/list?team_id=${team.team_id}&return_full_object=true&size=2&page=2`)).body);
    expect(full).toMatchObject({ total_count: 3, current_page: 2, total_pages: 2 });
    expect(full.keys).toHaveLength(1);
    keyRow.parse(full.keys[0]);

    const tooBig = await api.get(`/key/list?team_id=${team.team_id}&size=1000`);
    expect(tooBig.status).toBe(422);
    expect(tooBig.body).toMatchObject({ detail: [{ loc: ["query", "size"] }] });
  });

  it("updates a key, validating against its team and leaving it unchanged on failure", async () => {
    const team = await newTeam();
    const generated = generateKeyResponse.parse((await api.post("/key/generate", { team_id: team.team_id, models: ["qwen2.5-0.5b-instruct"] })).body);
    const ok = await api.post("/key/update", { key: generated.key, models: ["llama-3.1-8b-instruct"], max_budget: 2, metadata: { note: "x" } });
    expect(ok.status, ok.text).toBe(200);
    expect(keyRow.parse(ok.body)).toMatchObject({ models: ["llama-3.1-8b-instruct"], max_budget: 2, metadata: { note: "x" } });

    expectError(await api.post("/key/update", { key: generated.token, models: ["llama-3.1-70b-instruct"] }), 400);
    const info = keyInfoResponse.parse((await api.get(`/key/info?key=${generated.token}`)).body);
    expect(info.info.models).toEqual(["llama-3.1-8b-instruct"]);
    expectError(await api.post("/key/update", { key: "sk-unknown", max_budget: 1 }), 404);
  });

  it("deletes keys by secret, hash or alias; deleting nothing is a 404", async () => {
    const a = generateKeyResponse.parse((await api.post("/key/generate", {})).body);
    const alias = uniqueId("alias");
    generateKeyResponse.parse((await api.post("/key/generate", { key_alias: alias })).body);
    const res = await api.post("/key/delete", { keys: [a.key] });
    expect(deleteKeysResponse.parse(res.body)).toEqual({ deleted_keys: [a.key] });
    expectError(await api.get(`/key/info?key=${a.token}`), 404);
    expectError(await api.post("/key/delete", { keys: [a.key] }), 404);
    expect(deleteKeysResponse.parse((await api.post("/key/delete", { key_aliases: [alias] })).body)).toEqual({ deleted_keys: [alias] });
  });

  it("regenerates via both routes, keeping limits and rotating the token", async () => {
    const team = await newTeam();
    const original = generateKeyResponse.parse((await api.post("/key/generate", { team_id: team.team_id, max_budget: 3, rpm_limit: 7 })).body);
    const newSecret = `sk-${uniqueId("rotated")}`;
    const res = await api.post(`/key/${original.token}/regenerate`, { new_key: newSecret });
    expect(res.status, res.text).toBe(200);
    const rotated = generateKeyResponse.parse(res.body);
    expect(rotated).toMatchObject({ key: newSecret, max_budget: 3, rpm_limit: 7, team_id: team.team_id });
    expect(rotated.token).not.toBe(original.token);
    expectError(await api.get(`/key/info?key=${original.token}`), 404);
    const info = keyInfoResponse.parse((await api.get(`/key/info?key=${newSecret}`)).body);
    expect(info.info).toMatchObject({ rotation_count: 1, max_budget: 3 });

    const again = generateKeyResponse.parse((await api.post("/key/regenerate", { key: newSecret })).body);
    expect(again.key).not.toBe(newSecret);
    expectError(await api.post("/key/regenerate", { key: newSecret }), 404);
  });
});
