import { createSign, generateKeyPairSync } from "node:crypto";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUIET, commitOnBranch, failure, startTestGitHub, type TestGitHub } from "./test-helpers";

function jwt(privateKeyPem: string, claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const unsigned = `${enc({ alg: "RS256", typ: "JWT" })}.${enc(claims)}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(privateKeyPem).toString("base64url");
  return `${unsigned}.${signature}`;
}

const nowS = () => Math.floor(Date.now() / 1000);

describe("GitHub stand-in: authentication", () => {
  let gh: TestGitHub;

  beforeAll(async () => {
    gh = await startTestGitHub();
  });
  afterAll(async () => {
    await gh.close();
  });

  it("accepts the static token as `token X` and `Bearer X`", async () => {
    for (const scheme of ["token", "Bearer"]) {
      const res = await fetch(`${gh.baseUrl}/repos/platform/platform-gitops`, { headers: { authorization: `${scheme} ${gh.control.token}` } });
      expect(res.status).toBe(200);
    }
  });

  it("answers a bad token with 401 Bad credentials and a missing one with 401", async () => {
    const bad = new Octokit({ baseUrl: gh.baseUrl, auth: "ghp_not_a_token", log: QUIET });
    const err = await failure(bad.repos.get({ owner: gh.owner, repo: gh.repo }));
    expect(err.status).toBe(401);
    expect(err.response?.data).toMatchObject({ message: "Bad credentials", documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//) });

    const anonymous = await fetch(`${gh.baseUrl}/repos/platform/platform-gitops`);
    expect(anonymous.status).toBe(401);
  });

  it("exchanges an app JWT for an installation token that then works (via @octokit/auth-app)", async () => {
    const { control } = gh;
    const app = new Octokit({
      baseUrl: gh.baseUrl,
      authStrategy: createAppAuth,
      auth: { appId: control.appId, privateKey: control.appPrivateKeyPem, installationId: control.installationId },
      log: QUIET,
    });
    const { data } = await app.repos.get({ owner: gh.owner, repo: gh.repo });
    expect(data.full_name).toBe("platform/platform-gitops");
    await commitOnBranch({ ...gh, octokit: app }, "via-app", { "a.txt": "a\n" });

    const auth = (await app.auth({ type: "installation" })) as { token: string; expiresAt: string };
    expect(auth.token).toMatch(/^ghs_[0-9A-Za-z]{36}$/);
    expect(new Date(auth.expiresAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    const plain = new Octokit({ baseUrl: gh.baseUrl, auth: auth.token, log: QUIET });
    expect((await plain.pulls.list({ owner: gh.owner, repo: gh.repo })).status).toBe(200);

    // auth-app signs /repos/{owner}/{repo}/installation with the app JWT.
    const installation = await app.apps.getRepoInstallation({ owner: gh.owner, repo: gh.repo });
    expect(installation.data.id).toBe(control.installationId);
  });

  it("refuses JWTs signed by another key, with a wrong issuer, expired, or too long-lived", async () => {
    const { control } = gh;
    const other = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
    const good = { iat: nowS() - 30, exp: nowS() + 540, iss: control.appId };
    const cases = [
      jwt(other, good),
      jwt(control.appPrivateKeyPem, { ...good, iss: control.appId + 1 }),
      jwt(control.appPrivateKeyPem, { ...good, exp: nowS() - 10 }),
      jwt(control.appPrivateKeyPem, { ...good, exp: nowS() + 3600 }),
      "not.a.jwt",
    ];
    const url = `${gh.baseUrl}/app/installations/${control.installationId}/access_tokens`;
    for (const token of cases) {
      const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
    }
    const ok = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${jwt(control.appPrivateKeyPem, { ...good, iss: String(control.appId) })}` } });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ token: expect.stringMatching(/^ghs_/), expires_at: expect.any(String) });

    // The JWT itself is not a repository credential, and tokens cannot mint tokens.
    const asRepoToken = await fetch(`${gh.baseUrl}/repos/platform/platform-gitops`, { headers: { authorization: `Bearer ${jwt(control.appPrivateKeyPem, good)}` } });
    expect(asRepoToken.status).toBe(401);
    const tokenForApp = await fetch(url, { method: "POST", headers: { authorization: `token ${control.token}` } });
    expect(tokenForApp.status).toBe(401);
    const wrongInstallation = await fetch(`${gh.baseUrl}/app/installations/999/access_tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${jwt(control.appPrivateKeyPem, good)}` },
    });
    expect(wrongInstallation.status).toBe(404);
  });
});

describe("GitHub stand-in: fault injection", () => {
  let gh: TestGitHub;

  beforeAll(async () => {
    gh = await startTestGitHub();
  });
  afterAll(async () => {
    await gh.close();
  });

  const getRepo = () => gh.octokit.repos.get({ owner: gh.owner, repo: gh.repo });

  it("answers 503 for a counted number of API calls, then recovers", async () => {
    gh.control.setFault({ mode: "unavailable", count: 2 });
    expect((await failure(getRepo())).status).toBe(503);
    expect((await failure(getRepo())).status).toBe(503);
    expect((await getRepo()).status).toBe(200);
  });

  it("stays unavailable until reset when no count is given, over the HTTP control endpoint", async () => {
    const set = await fetch(`${gh.baseUrl}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ mode: "unavailable" }) });
    expect(await set.json()).toMatchObject({ mode: "unavailable", remaining: null });
    for (let i = 0; i < 3; i++) expect((await failure(getRepo())).status).toBe(503);
    // Control endpoints keep working during the outage.
    await fetch(`${gh.baseUrl}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ mode: "ok" }) });
    expect((await getRepo()).status).toBe(200);
  });

  it("slows API calls down", async () => {
    gh.control.setFault({ mode: "slow", delayMs: 300, count: 1 });
    const started = Date.now();
    await getRepo();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1500);
    const fast = Date.now();
    await getRepo();
    expect(Date.now() - fast).toBeLessThan(290);
  });

  it("blocks every merge with a reason via the HTTP control endpoint, then lifts the block", async () => {
    const { octokit, owner, repo } = gh;
    await commitOnBranch(gh, "tenant/blocked", { "a.txt": "a\n" });
    const pr = await octokit.pulls.create({ owner, repo, title: "Blocked", head: "tenant/blocked", base: "main" });
    const reason = "At least 1 approving review is required by reviewers with write access.";
    await fetch(`${gh.baseUrl}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ blockMerges: reason }) });
    expect((await octokit.pulls.get({ owner, repo, pull_number: pr.data.number })).data.mergeable_state).toBe("blocked");
    const err = await failure(octokit.pulls.merge({ owner, repo, pull_number: pr.data.number, merge_method: "squash" }));
    expect(err.status).toBe(405);
    expect(err.response?.data).toMatchObject({ message: reason });

    await fetch(`${gh.baseUrl}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ blockMerges: null }) });
    expect((await octokit.pulls.merge({ owner, repo, pull_number: pr.data.number, merge_method: "squash" })).data.merged).toBe(true);
  });

  it("rejects malformed control requests", async () => {
    const res = await fetch(`${gh.baseUrl}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ mode: "broken" }) });
    expect(res.status).toBe(400);
  });
});

describe("GitHub stand-in: repository settings", () => {
  it("refuses the bot's approval of its own PR when rejectSelfApproval is on (COMMENT still works)", async () => {
    const gh = await startTestGitHub({ rejectSelfApproval: true });
    try {
      const { octokit, owner, repo } = gh;
      await commitOnBranch(gh, "tenant/self", { "a.txt": "a\n" });
      const pr = await octokit.pulls.create({ owner, repo, title: "Self", head: "tenant/self", base: "main" });
      const err = await failure(octokit.pulls.createReview({ owner, repo, pull_number: pr.data.number, event: "APPROVE" }));
      expect(err.status).toBe(422);
      expect(err.message).toContain("Can not approve your own pull request");
      const comment = await octokit.pulls.createReview({ owner, repo, pull_number: pr.data.number, event: "COMMENT", body: "Approved in the portal" });
      expect(comment.data.state).toBe("COMMENTED");
    } finally {
      await gh.close();
    }
  });

  it("deletes the head branch after a merge when deleteBranchOnMerge is on", async () => {
    const gh = await startTestGitHub({ deleteBranchOnMerge: true });
    try {
      const { octokit, owner, repo } = gh;
      await commitOnBranch(gh, "tenant/short-lived", { "a.txt": "a\n" });
      const pr = await octokit.pulls.create({ owner, repo, title: "Short", head: "tenant/short-lived", base: "main" });
      await octokit.pulls.merge({ owner, repo, pull_number: pr.data.number, merge_method: "squash" });
      expect((await failure(octokit.git.getRef({ owner, repo, ref: "heads/tenant/short-lived" }))).status).toBe(404);
      expect((await octokit.pulls.get({ owner, repo, pull_number: pr.data.number })).data).toMatchObject({ merged: true, head: { ref: "tenant/short-lived" } });
      expect((await octokit.repos.get({ owner, repo })).data.delete_branch_on_merge).toBe(true);
    } finally {
      await gh.close();
    }
  });
});
