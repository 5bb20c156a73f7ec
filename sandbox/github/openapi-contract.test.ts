import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GITHUB_ROUTES } from "./github-server";
import { OpenApiContract, type Violation } from "./openapi-contract";
import { QUIET, failure, startHookReceiver, startTestGitHub, type TestGitHub } from "./test-helpers";

interface Captured {
  operation: string;
  status: number;
  body: unknown;
}

/** Records every response an Octokit instance receives, keyed by its OpenAPI route template. */
function capture(octokit: Octokit, into: Captured[]): void {
  octokit.hook.wrap("request", async (request, options) => {
    // Octokit hands hooks the route template ("/repos/{owner}/{repo}/pulls"), not the expanded URL.
    const operation = `${options.method} ${options.url}`;
    try {
      const res = await request(options);
      into.push({ operation, status: res.status, body: res.data });
      return res;
    } catch (err) {
      const e = err as { status?: number; response?: { data: unknown } };
      if (typeof e.status === "number") into.push({ operation, status: e.status, body: e.response?.data });
      throw err;
    }
  });
}

const webhookName = (event: string, action: unknown) => (typeof action === "string" ? `${event}-${action}` : event).replaceAll("_", "-");

describe("GitHub stand-in: responses match GitHub's OpenAPI description", () => {
  let gh: TestGitHub;
  let receiver: Awaited<ReturnType<typeof startHookReceiver>>;
  let contract: OpenApiContract;
  const captured: Captured[] = [];

  beforeAll(async () => {
    contract = new OpenApiContract();
    gh = await startTestGitHub();
    receiver = await startHookReceiver();
    gh.control.addWebhook(receiver.url, "contract-secret");
  });
  afterAll(async () => {
    await gh.close();
    await receiver.close();
  });

  it("exercises every served endpoint (success and documented errors)", async () => {
    const { owner, repo, control } = gh;
    const api = new Octokit({ baseUrl: gh.baseUrl, auth: control.token, log: QUIET });
    capture(api, captured);
    const app = new Octokit({
      baseUrl: gh.baseUrl,
      authStrategy: createAppAuth,
      auth: { appId: control.appId, privateKey: control.appPrivateKeyPem, installationId: control.installationId },
      log: QUIET,
    });
    capture(app, captured);

    // GitHub App endpoints (app JWT).
    await app.apps.getRepoInstallation({ owner, repo });
    await app.apps.getInstallation({ installation_id: control.installationId });
    await app.apps.createInstallationAccessToken({ installation_id: control.installationId });

    // Repository and refs.
    await api.repos.get({ owner, repo });
    const main = (await api.git.getRef({ owner, repo, ref: "heads/main" })).data.object.sha;
    await failure(api.git.getRef({ owner, repo, ref: "heads/missing" }));
    await api.git.listMatchingRefs({ owner, repo, ref: "heads/" });

    // Git data.
    const blob = await api.git.createBlob({ owner, repo, content: "budget: 10\n", encoding: "utf-8" });
    await api.git.getBlob({ owner, repo, file_sha: blob.data.sha });
    const mainCommit = await api.git.getCommit({ owner, repo, commit_sha: main });
    const tree = await api.git.createTree({
      owner,
      repo,
      base_tree: mainCommit.data.tree.sha,
      tree: [
        { path: "tenants/acme/values.yaml", mode: "100644", type: "blob", sha: blob.data.sha },
        { path: "tenants/acme/namespace.yaml", mode: "100644", type: "blob", content: "kind: Namespace\n" },
        { path: "tenants/.gitkeep", mode: "100644", type: "blob", sha: null },
      ],
    });
    await api.git.getTree({ owner, repo, tree_sha: tree.data.sha, recursive: "1" });
    const commit = await api.git.createCommit({ owner, repo, message: "Onboard acme", tree: tree.data.sha, parents: [main] });
    await api.git.createRef({ owner, repo, ref: "refs/heads/tenant/acme", sha: main });
    await failure(api.git.createRef({ owner, repo, ref: "refs/heads/tenant/acme", sha: main }));
    await api.git.updateRef({ owner, repo, ref: "heads/tenant/acme", sha: commit.data.sha });
    await failure(api.git.updateRef({ owner, repo, ref: "heads/tenant/acme", sha: main }));

    // Contents: file, directory, root, missing.
    await api.repos.getContent({ owner, repo, path: "tenants/acme/values.yaml", ref: "tenant/acme" });
    await api.repos.getContent({ owner, repo, path: "tenants/acme", ref: "tenant/acme" });
    await api.repos.getContent({ owner, repo, path: "" });
    await failure(api.repos.getContent({ owner, repo, path: "nope.txt" }));

    // Pull request lifecycle.
    const pr = await api.pulls.create({ owner, repo, title: "Onboard acme", head: `${owner}:tenant/acme`, base: "main", body: "From the portal" });
    const n = pr.data.number;
    await failure(api.pulls.create({ owner, repo, title: "dup", head: `${owner}:tenant/acme`, base: "main" }));
    await api.pulls.list({ owner, repo, head: `${owner}:tenant/acme`, state: "all" });
    await api.pulls.get({ owner, repo, pull_number: n });
    await failure(api.pulls.get({ owner, repo, pull_number: 4242 }));
    await api.pulls.update({ owner, repo, pull_number: n, title: "Onboard tenant acme" });
    await api.pulls.listFiles({ owner, repo, pull_number: n });
    await api.pulls.createReview({ owner, repo, pull_number: n, event: "APPROVE", body: "LGTM" });
    await api.pulls.listReviews({ owner, repo, pull_number: n });
    await api.issues.createComment({ owner, repo, issue_number: n, body: "Waiting for Argo CD" });
    await api.issues.listComments({ owner, repo, issue_number: n });
    await failure(api.pulls.checkIfMerged({ owner, repo, pull_number: n }));
    await failure(api.pulls.merge({ owner, repo, pull_number: n, merge_method: "squash", sha: main }));
    control.blockMerge("all", "Required status check \"ci\" is expected.");
    await failure(api.pulls.merge({ owner, repo, pull_number: n, merge_method: "squash" }));
    control.unblockMerge("all");
    const merged = await api.pulls.merge({ owner, repo, pull_number: n, merge_method: "squash", sha: commit.data.sha });
    await api.pulls.checkIfMerged({ owner, repo, pull_number: n });
    await api.pulls.get({ owner, repo, pull_number: n });

    // A second PR closed without merging, reopened, and pushed to (synchronize).
    await api.git.createRef({ owner, repo, ref: "refs/heads/tenant/beta", sha: commit.data.sha });
    const pr2 = await api.pulls.create({ owner, repo, title: "Beta", head: "tenant/beta", base: "main" });
    await api.pulls.update({ owner, repo, pull_number: pr2.data.number, state: "closed" });
    await api.pulls.update({ owner, repo, pull_number: pr2.data.number, state: "open" });
    const betaTree = await api.git.createTree({ owner, repo, base_tree: tree.data.sha, tree: [{ path: "beta.txt", mode: "100644", type: "blob", content: "b\n" }] });
    const betaCommit = await api.git.createCommit({ owner, repo, message: "Beta", tree: betaTree.data.sha, parents: [commit.data.sha] });
    await api.git.updateRef({ owner, repo, ref: "heads/tenant/beta", sha: betaCommit.data.sha });

    // Commits and compare.
    await api.repos.getCommit({ owner, repo, ref: merged.data.sha });
    await failure(api.repos.getCommit({ owner, repo, ref: "no-such-branch" }));
    await api.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${main}...main` });
    await failure(api.repos.compareCommitsWithBasehead({ owner, repo, basehead: "main...no-such-branch" }));

    // Ref deletion.
    await api.git.deleteRef({ owner, repo, ref: "heads/tenant/acme" });
    await failure(api.git.deleteRef({ owner, repo, ref: "heads/tenant/acme" }));

    await control.webhooksSettled();
  });

  it("every captured response matches the documented schema for its operation and status", () => {
    const violations: Violation[] = [];
    for (const c of captured) {
      const v = contract.checkResponse(c.operation.split(" ")[0]!, c.operation.split(" ")[1]!, c.status, c.body);
      if (v) violations.push(v);
    }
    expect(violations.map((v) => `${v.where}\n${v.errors}`).join("\n\n")).toBe("");
    expect(captured.length).toBeGreaterThan(40);
  });

  it("every endpoint the stand-in serves is a GitHub operation and was validated with a 2xx response", () => {
    const served = [...new Set(GITHUB_ROUTES.flatMap((r) => (r.operation ? [r.operation] : [])))];
    const missing = served.filter((op) => !contract.hasOperation(op.split(" ")[0]!, op.split(" ")[1]!));
    expect(missing).toEqual([]);
    const unexercised = served.filter((op) => !captured.some((c) => c.operation === op && c.status >= 200 && c.status < 300));
    expect(unexercised).toEqual([]);
    // Only sandbox control and browser pages live outside GitHub's API.
    const extra = GITHUB_ROUTES.filter((r) => !r.operation).map((r) => r.path);
    expect(extra.every((p) => p.startsWith("/_sandbox/") || p === "/:owner/:repo/pull/:pull_number")).toBe(true);
  });

  it("webhook payloads match GitHub's documented webhook schemas", () => {
    const names = receiver.received.map((h) => webhookName(String(h.headers["x-github-event"]), h.json.action));
    expect(new Set(names)).toEqual(
      new Set([
        "push",
        "pull-request-opened",
        "pull-request-edited",
        "pull-request-review-submitted",
        "pull-request-closed",
        "pull-request-reopened",
        "pull-request-synchronize",
      ]),
    );
    const violations = receiver.received.flatMap((h, i) => contract.checkWebhook(names[i]!, h.json) ?? []);
    expect(violations.map((v) => `${v.where}\n${v.errors}`).join("\n\n")).toBe("");
  });
});

describe("the OpenAPI checker itself", () => {
  it("rejects bodies that miss required fields or break enums and nullability", () => {
    const contract = new OpenApiContract();
    const ok = { sha: "a".repeat(40), merged: true, message: "Pull Request successfully merged" };
    expect(contract.checkResponse("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", 200, ok)).toBeUndefined();
    expect(contract.checkResponse("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", 200, { ...ok, merged: undefined })).toBeDefined();
    expect(contract.checkResponse("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", 418, ok)).toBeDefined();
    const entry = { sha: null, filename: "a", status: "added", additions: 1, deletions: 0, changes: 1, blob_url: "http://x/a", raw_url: "http://x/a", contents_url: "http://x/a" };
    const files = "/repos/{owner}/{repo}/pulls/{pull_number}/files";
    expect(contract.checkResponse("GET", files, 200, [entry])).toBeUndefined();
    expect(contract.checkResponse("GET", files, 200, [{ ...entry, status: "moved" }])).toBeDefined();
    expect(contract.checkResponse("GET", files, 200, [{ ...entry, filename: null }])).toBeDefined();
  });
});
