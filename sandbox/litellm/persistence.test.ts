import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox } from "../start";
import { generateKeyResponse, keyInfoResponse, teamInfoResponse } from "../test-support/litellm-contract";
import { litellmApi } from "../test-support/litellm-api";

const dir = mkdtempSync(join(tmpdir(), "sandbox-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ports = { dexPort: 0, litellmPort: 0, vllmPort: 0, githubPort: 0, kubePort: 0, tokenDelayMs: 0 } as const;

describe("LiteLLM stand-in persistence", () => {
  it("keeps teams, hashed keys and spend across a restart", async () => {
    const secret = "sk-persisted-key-0001";
    const first = await startSandbox({ ...ports, stateDir: dir });
    const api1 = litellmApi(first.urls.litellm, first.litellm.masterKey);
    await api1.post("/team/new", { team_id: "persisted", models: ["qwen2.5-0.5b-instruct"], max_budget: 1 });
    const key = generateKeyResponse.parse((await api1.post("/key/generate", { key: secret, team_id: "persisted" })).body);
    expect((await api1.chat(secret, { model: "qwen2.5-0.5b-instruct", messages: [{ role: "user", content: "hi" }] })).status).toBe(200);
    const spend = keyInfoResponse.parse((await api1.get(`/key/info?key=${key.token}`)).body).info.spend;
    await first.close();

    const file = readFileSync(first.litellm.statePath!, "utf8");
    expect(file).toContain(key.token);
    expect(file).not.toContain(secret); // only the hash is ever stored

    const second = await startSandbox({ ...ports, stateDir: dir });
    try {
      const api2 = litellmApi(second.urls.litellm, second.litellm.masterKey);
      const info = keyInfoResponse.parse((await api2.get(`/key/info?key=${secret}`)).body);
      expect(info.info.spend).toBe(spend);
      const team = teamInfoResponse.parse((await api2.get("/team/info?team_id=persisted")).body);
      expect(team.team_info.spend).toBe(spend);
      expect((await api2.chat(secret, { model: "qwen2.5-0.5b-instruct", messages: [{ role: "user", content: "hi" }] })).status).toBe(200);
      const logs = (await api2.get(`/spend/logs?api_key=${key.token}`)).body as unknown[];
      expect(logs).toHaveLength(2);
    } finally {
      await second.close();
    }
  });
});
