import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../start";
import { QUIET } from "./test-helpers";

describe("GitHub stand-in inside startSandbox", () => {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-state-"));
  let sandbox: Sandbox | undefined;

  afterAll(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the platform repository at urls.github, kept under stateDir/github", async () => {
    sandbox = await startSandbox({ dexPort: 0, litellmPort: 0, vllmPort: 0, githubPort: 0, kubePort: 0, stateDir: dir, tokenDelayMs: 0 });
    const { github, urls } = sandbox;
    expect(github.repoPath).toBe(join(dir, "github", "platform", "platform-gitops.git"));
    const octokit = new Octokit({ baseUrl: urls.github, auth: github.token, log: QUIET });
    const { data } = await octokit.repos.get({ owner: github.owner, repo: github.repo });
    expect(data.default_branch).toBe("main");
    expect(data.url.startsWith(urls.github)).toBe(true);
    await sandbox.close();
    sandbox = undefined;
  });

  it("picks an ephemeral port when every other port is ephemeral (no collision on 3900)", async () => {
    sandbox = await startSandbox({ dexPort: 0, litellmPort: 0, vllmPort: 0, kubePort: 0, tokenDelayMs: 0 });
    expect(new URL(sandbox.urls.github).port).not.toBe("3900");
    const res = await fetch(`${sandbox.urls.github}/repos/platform/platform-gitops`, { headers: { authorization: `token ${sandbox.github.token}` } });
    expect(res.status).toBe(200);
  });
});
