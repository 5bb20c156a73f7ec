import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSandboxModel } from "../models";
import { startSandbox, type Sandbox } from "../start";
import {
  apiKeySpendReport,
  errorResponse,
  generateKeyResponse,
  keyInfoResponse,
  spendLogRow,
  teamInfoResponse,
  teamRow,
  teamSpendReport,
} from "../test-support/litellm-contract";
import { litellmApi, uniqueId, type LiteLLMApi } from "../test-support/litellm-api";
import { chatCompletion, chatCompletionChunk, modelList, sseData } from "../test-support/openai-contract";

let sandbox: Sandbox;
let api: LiteLLMApi;

beforeAll(async () => {
  sandbox = await startSandbox({ dexPort: 0, litellmPort: 0, vllmPort: 0, githubPort: 0, kubePort: 0, tokenDelayMs: 0 });
  api = litellmApi(sandbox.urls.litellm, sandbox.litellm.masterKey);
});
afterAll(() => sandbox?.close());

const QWEN = "qwen2.5-0.5b-instruct";
const hello = (model = QWEN, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: "user", content: "Say hello to the sandbox." }],
  max_tokens: 16,
  ...extra,
});

async function teamWithKey(team: Record<string, unknown> = {}, key: Record<string, unknown> = {}) {
  const created = teamRow.parse(
    (await api.post("/team/new", { team_id: uniqueId("team"), team_alias: uniqueId("alias"), models: [QWEN, "llama-3.1-8b-instruct"], max_budget: 10, ...team })).body,
  );
  const res = await api.post("/key/generate", { key: `sk-${uniqueId("gw")}`, team_id: created.team_id, ...key });
  expect(res.status, res.text).toBe(200);
  return { team: created, key: generateKeyResponse.parse(res.body) };
}

function expectError(res: { status: number; body: unknown }, status: number, type?: string, message?: RegExp) {
  expect(res.status).toBe(status);
  const { error } = errorResponse.parse(res.body);
  if (type) expect(error.type).toBe(type);
  if (message) expect(error.message).toMatch(message);
}

describe("LiteLLM gateway", () => {
  it("lists only the models the key's team may use", async () => {
    const { key } = await teamWithKey();
    const res = await api.get("/v1/models", key.key);
    expect(res.status).toBe(200);
    expect(modelList.parse(res.body).data.map((m) => m.id)).toEqual([QWEN, "llama-3.1-8b-instruct"]);
  });

  it("completes a chat and books spend on key, team and spend logs", async () => {
    const { key, team } = await teamWithKey();
    const res = await api.chat(key.key, hello());
    expect(res.status, res.text).toBe(200);
    const completion = chatCompletion.parse(res.body);
    expect(completion.model).toBe(QWEN);
    expect(completion.usage.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage.completion_tokens).toBeLessThanOrEqual(16);

    const model = findSandboxModel(QWEN)!;
    const cost = completion.usage.prompt_tokens * model.inputCostPerToken + completion.usage.completion_tokens * model.outputCostPerToken;
    expect(Number(res.headers.get("x-litellm-response-cost"))).toBeCloseTo(cost, 15);

    const info = keyInfoResponse.parse((await api.get(`/key/info?key=${key.token}`)).body);
    expect(info.info.spend).toBeCloseTo(cost, 15);
    expect(info.info.last_active).not.toBeNull();
    const teamInfo = teamInfoResponse.parse((await api.get(`/team/info?team_id=${team.team_id}`)).body);
    expect(teamInfo.team_info.spend).toBeCloseTo(cost, 15);
    expect(teamInfo.team_info.model_spend[QWEN]).toBeCloseTo(cost, 15);

    const logs = spendLogRow.array().parse((await api.get(`/spend/logs?api_key=${encodeURIComponent(key.key)}`)).body);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      request_id: completion.id,
      api_key: key.token,
      team_id: team.team_id,
      model_group: QWEN,
      model: model.servedModelName,
      prompt_tokens: completion.usage.prompt_tokens,
      completion_tokens: completion.usage.completion_tokens,
      total_tokens: completion.usage.total_tokens,
      call_type: "acompletion",
      status: "success",
    });
    expect(logs[0]!.spend).toBeCloseTo(cost, 15);
  });

  it("streams SSE chunks ending in [DONE] and books spend from the usage chunk", async () => {
    const { key } = await teamWithKey();
    const res = await api.chat(key.key, hello(QWEN, { stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const data = sseData(res.text);
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => chatCompletionChunk.parse(JSON.parse(d)));
    expect(chunks.every((c) => c.model === QWEN)).toBe(true);
    // The gateway asked upstream for usage but hides it from a client that did not.
    expect(chunks.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true);
    expect(chunks.map((c) => c.choices[0]!.delta.content ?? "").join("").length).toBeGreaterThan(0);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).not.toBeNull();

    const info = keyInfoResponse.parse((await api.get(`/key/info?key=${key.token}`)).body);
    expect(info.info.spend).toBeGreaterThan(0);
  });

  it("passes the usage chunk through when the client asks for it", async () => {
    const { key } = await teamWithKey();
    const res = await api.chat(key.key, hello(QWEN, { stream: true, stream_options: { include_usage: true } }));
    const chunks = sseData(res.text).slice(0, -1).map((d) => chatCompletionChunk.parse(JSON.parse(d)));
    const usageChunk = chunks.at(-1)!;
    expect(usageChunk.choices).toEqual([]);
    const contentTokens = chunks.filter((c) => c.choices[0]?.delta.content).length;
    expect(usageChunk.usage?.completion_tokens).toBe(contentTokens);

    const logs = spendLogRow.array().parse((await api.get(`/spend/logs?api_key=${key.token}`)).body);
    expect(logs[0]!.completion_tokens).toBe(contentTokens);
  });

  it("refuses unknown keys with LiteLLM's auth error", async () => {
    expectError(await api.chat("sk-made-up", hello()), 401, "auth_error", /Authentication Error, Invalid proxy server token passed/);
    expectError(await api.chat("", hello()), 401);
  });

  it("refuses models outside the team or the key", async () => {
    const { key } = await teamWithKey({}, { models: [QWEN] });
    expectError(await api.chat(key.key, hello("llama-3.1-70b-instruct")), 401, "key_model_access_denied", /key not allowed to access model/);
    expectError(await api.chat(key.key, hello("llama-3.1-8b-instruct")), 401, "key_model_access_denied");
    const { key: teamKey } = await teamWithKey();
    expectError(await api.chat(teamKey.key, hello("llama-3.1-70b-instruct")), 401, "team_model_access_denied", /team not allowed/);
    expectError(await api.chat(teamKey.key, hello("gpt-4")), 400, "bad_request_error", /Invalid model name/);
  });

  it("stops a key at its budget with budget_exceeded (400)", async () => {
    const { key } = await teamWithKey({}, { max_budget: 0.000000001 });
    expect((await api.chat(key.key, hello())).status).toBe(200);
    expectError(await api.chat(key.key, hello()), 400, "budget_exceeded", /Budget has been exceeded!.*Current cost: .*Max budget: 1e-9/);
  });

  it("stops all keys of a team at the team budget", async () => {
    const { key, team } = await teamWithKey({ max_budget: 0.000000001 });
    expect((await api.chat(key.key, hello())).status).toBe(200);
    const other = generateKeyResponse.parse((await api.post("/key/generate", { team_id: team.team_id })).body);
    expectError(await api.chat(other.key, hello()), 400, "budget_exceeded", new RegExp(`Team=${team.team_id}`));
  });

  it("rate-limits a key at rpm_limit with 429", async () => {
    const { key } = await teamWithKey({}, { rpm_limit: 2 });
    expect((await api.chat(key.key, hello())).status).toBe(200);
    expect((await api.chat(key.key, hello())).status).toBe(200);
    const limited = await api.chat(key.key, hello());
    expectError(limited, 429, undefined, /Rate limit exceeded/);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("stops a deleted key immediately", async () => {
    const { key } = await teamWithKey();
    expect((await api.chat(key.key, hello())).status).toBe(200);
    expect((await api.post("/key/delete", { keys: [key.token] })).status).toBe(200);
    expectError(await api.chat(key.key, hello()), 401, "auth_error");
  });

  it("switches a regenerated key over at once and keeps its spend", async () => {
    const { key } = await teamWithKey();
    expect((await api.chat(key.key, hello())).status).toBe(200);
    const before = keyInfoResponse.parse((await api.get(`/key/info?key=${key.token}`)).body).info.spend;
    const newKey = `sk-${uniqueId("new")}`;
    expect((await api.post(`/key/${encodeURIComponent(key.key)}/regenerate`, { new_key: newKey })).status).toBe(200);
    expectError(await api.chat(key.key, hello()), 401);
    expect((await api.chat(newKey, hello())).status).toBe(200);
    const after = keyInfoResponse.parse((await api.get(`/key/info?key=${newKey}`)).body).info.spend;
    expect(after).toBeGreaterThan(before);
  });

  it("refuses blocked and expired keys", async () => {
    const { key } = await teamWithKey();
    expect((await api.post("/key/update", { key: key.key, blocked: true })).status).toBe(200);
    expectError(await api.chat(key.key, hello()), 401, "auth_error", /blocked/);

    const { key: shortLived } = await teamWithKey({}, { duration: "1s" });
    await new Promise((r) => setTimeout(r, 1100));
    expectError(await api.chat(shortLived.key, hello()), 401, "expired_key");
  });

  it("reports spend per team and per key in LiteLLM's report shapes", async () => {
    const { key, team } = await teamWithKey();
    expect((await api.chat(key.key, hello())).status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

    const byTeam = teamSpendReport.parse((await api.get(`/global/spend/report?start_date=${today}&end_date=${tomorrow}&group_by=team`)).body);
    const teamEntry = byTeam.flatMap((d) => d.teams).find((t) => t.team_name === team.team_alias);
    expect(teamEntry?.total_spend).toBeGreaterThan(0);
    expect(teamEntry?.metadata[0]).toMatchObject({ model: findSandboxModel(QWEN)!.servedModelName, api_key: key.token });

    const byKey = apiKeySpendReport.parse((await api.get(`/global/spend/report?start_date=${today}&end_date=${tomorrow}&group_by=api_key`)).body);
    expect(byKey.find((k) => k.api_key === key.token)?.total_cost).toBeGreaterThan(0);

    const summary = (await api.get(`/spend/logs?start_date=${today}&end_date=${tomorrow}&api_key=${key.token}`)).body as Array<Record<string, unknown>>;
    expect(summary[0]).toMatchObject({ startTime: today, models: { [findSandboxModel(QWEN)!.servedModelName]: expect.any(Number) } });
    expect(summary[0]![key.token]).toBeGreaterThan(0);
    expect(summary.at(-1)).toMatchObject({ startTime: tomorrow, spend: 0 });
    const rows = spendLogRow.array().parse((await api.get(`/spend/logs?start_date=${today}&end_date=${tomorrow}&api_key=${key.token}&summarize=false`)).body);
    expect(rows).toHaveLength(1);

    // LiteLLM's window ends at midnight of end_date: end_date=today excludes today.
    const sameDay = teamSpendReport.parse((await api.get(`/global/spend/report?start_date=${today}&end_date=${today}`)).body);
    expect(sameDay).toEqual([]);
    expectError(await api.get(`/global/spend/report?start_date=${today}&end_date=${tomorrow}&group_by=model`), 400);
  });
});
