import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/errors";
import { createOctokit } from "@/lib/integrations/github/octokit";
import { createPlatformRepo, GitHubRefusal, type FileChange, type PlatformRepo } from "@/lib/integrations/github/platform-repo";
import { verifyWebhookSignature } from "@/lib/integrations/github/webhook-signature";
import { drainOnce } from "@/lib/outbox/worker";
import { approveRequest, rejectRequest } from "@/lib/requests/decide-request";
import { handleWebhook } from "@/lib/requests/handle-webhook";
import { openPullRequest } from "@/lib/requests/open-pull-request";
import { renderRequest } from "@/lib/gitops/render";
import type { GitopsRequestInput } from "@/lib/gitops/requests";
import { renderContext, type PreparedChange } from "@/lib/requests/prepare-change";
import { reconcilePull } from "@/lib/requests/reconcile";
import { rollbackRequest } from "@/lib/requests/rollback-request";
import { createQueuedRequest, submitRequest } from "@/lib/requests/submit-request";
import { testDatabases, type TestDb } from "../support/databases";
import {
  branchesUnder,
  configMapFiles,
  eventually,
  githubConfigFor,
  literalChange,
  pullsForHead,
  pushToBranch,
  seedPeople,
  startGitopsSandbox,
  startRecordingProxy,
  submittedRequest,
  type GitopsSandbox,
} from "../support/gitops";
import { fakeLiteLLM, seedTenant } from "../support/seed";

const BLOCK_REASON = 'Required status check "ci" is expected.';

async function failureOf<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

let gh: GitopsSandbox;
beforeAll(async () => {
  gh = await startGitopsSandbox();
});
afterAll(async () => gh?.close());

const unique = () => randomUUID().slice(0, 8);

const deploymentInput = (tenant: string, name: string, overrides: Partial<GitopsRequestInput> = {}) =>
  ({
    kind: "model-deployment",
    tenant,
    name,
    model: "qwen2.5-0.5b-instruct",
    servingLayer: "vllm",
    gpuType: "L4",
    gpusPerReplica: 1,
    minReplicas: 0,
    maxReplicas: 1,
    queueDepthTarget: 8,
    ...overrides,
  }) as GitopsRequestInput;

/** A model deployment stored as submitted before rendering (GitHub was away): openPullRequest renders it. */
const unrendered = (input: GitopsRequestInput, tenantId: string): PreparedChange => ({
  kind: "model-deployment",
  tenantId,
  title: `Deploy ${(input as { name: string }).name}`,
  payload: input,
  files: [],
  summary: { title: "pending", summaryRows: [], checklist: [], costDeltaCents: null },
  argoApp: `tenant-${tenantId}`,
});

describe("platform repo: opening pull requests", () => {
  const input = (branch: string, changes: FileChange[], title = "Idempotent open") => ({ branch, title, body: "body", changes, commitMessage: title });

  it("opening twice with the same branch adopts the open PR: one PR, one branch", async () => {
    const id = unique();
    const branch = `portal/acme/idem-${id}`;
    const changes = configMapFiles("acme", `idem-${id}`);
    const first = await gh.repo.openPull(input(branch, changes));
    const second = await gh.repo.openPull(input(branch, changes, "A retry with another title"));

    expect(second.number).toBe(first.number);
    expect(second.headSha).toBe(first.headSha);
    const pulls = await pullsForHead(gh, branch);
    expect(pulls.map((p) => p.number)).toEqual([first.number]);
    expect(pulls[0]!.title).toBe("Idempotent open");
    expect(await branchesUnder(gh, `portal/acme/idem-${id}`)).toEqual([branch]);
    expect((await gh.repo.listFiles(first.number)).map((f) => [f.filename, f.status]).sort()).toEqual(changes.map((c) => [c.path, "added"]).sort());
  });

  it("a branch left by an attempt that crashed before opening the PR is reset to the change", async () => {
    const id = unique();
    const branch = `portal/acme/leftover-${id}`;
    const { data: main } = await gh.github.git.getRef({ owner: gh.owner, repo: gh.name, ref: "heads/main" });
    await gh.github.git.createRef({ owner: gh.owner, repo: gh.name, ref: `refs/heads/${branch}`, sha: main.object.sha });
    await pushToBranch(gh, branch, [{ path: `tenants/acme/models/leftover-${id}/stale.yaml`, content: "stale: true\n" }]);

    const changes = configMapFiles("acme", `leftover-${id}`);
    const pull = await gh.repo.openPull(input(branch, changes));

    expect((await pullsForHead(gh, branch)).map((p) => p.number)).toEqual([pull.number]);
    expect((await gh.repo.listFiles(pull.number)).map((f) => f.filename).sort()).toEqual(changes.map((c) => c.path).sort());
    const { data: head } = await gh.github.git.getCommit({ owner: gh.owner, repo: gh.name, commit_sha: pull.headSha });
    expect(head.parents.map((p) => p.sha)).toEqual([main.object.sha]);
  });
});

describe("Octokit retry hook (counted on the wire through a proxy)", () => {
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let repo: PlatformRepo;
  let pullNumber: number;
  let pullPath: string;

  beforeAll(async () => {
    proxy = await startRecordingProxy(gh.sandbox.urls.github);
    repo = createPlatformRepo(githubConfigFor(proxy.url, gh.sandbox));
    const id = unique();
    pullNumber = (await gh.repo.openPull({ branch: `portal/acme/retry-${id}`, title: "Retry target", body: "", changes: configMapFiles("acme", `retry-${id}`), commitMessage: "retry" })).number;
    pullPath = `/repos/${gh.owner}/${gh.name}/pulls/${pullNumber}`;
  });
  afterAll(async () => proxy?.close());
  beforeEach(() => {
    proxy.reset();
    gh.sandbox.github.control.resetFaults();
  });

  it("retries a 503 from GitHub and succeeds on the third attempt", async () => {
    gh.sandbox.github.control.setFault({ mode: "unavailable", count: 2 });
    const pull = await repo.getPull(pullNumber);
    expect(pull.number).toBe(pullNumber);
    expect(proxy.log.map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", pullPath, 503],
      ["GET", pullPath, 503],
      ["GET", pullPath, 200],
    ]);
  });

  it("gives up after three attempts and surfaces the 503", async () => {
    gh.sandbox.github.control.setFault({ mode: "unavailable", count: 10 });
    const error = (await repo.getPull(pullNumber).then(
      () => undefined,
      (e: unknown) => e,
    )) as { status?: number } | undefined;
    expect(error?.status).toBe(503);
    expect(proxy.log.map((r) => r.status)).toEqual([503, 503, 503]);
  });

  it("honours Retry-After on a 429", async () => {
    proxy.inject({ status: 429, headers: { "retry-after": "1" }, body: { message: "API rate limit exceeded" } });
    await repo.getPull(pullNumber);
    expect(proxy.log.map((r) => [r.status, r.injected])).toEqual([
      [429, true],
      [200, false],
    ]);
    // The hook's own backoff would be 200 ms; the header asks for a second.
    expect(proxy.log[1]!.at - proxy.log[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("retries a 403 only when the rate limit is exhausted", async () => {
    proxy.inject({ status: 403, headers: { "x-ratelimit-remaining": "0", "retry-after": "0" }, body: { message: "API rate limit exceeded" } });
    await repo.getPull(pullNumber);
    expect(proxy.log.map((r) => r.status)).toEqual([403, 200]);

    proxy.reset();
    proxy.inject({ status: 403, headers: { "x-ratelimit-remaining": "4999" }, body: { message: "Resource not accessible by integration" } });
    const error = (await repo.getPull(pullNumber).catch((e: unknown) => e)) as { status?: number };
    expect(error.status).toBe(403);
    expect(proxy.log.map((r) => r.status)).toEqual([403]);
  });

  it("never retries a 404", async () => {
    const error = (await repo.getPull(987_654).catch((e: unknown) => e)) as { status?: number };
    expect(error.status).toBe(404);
    expect(proxy.log.map((r) => [r.path, r.status])).toEqual([[`/repos/${gh.owner}/${gh.name}/pulls/987654`, 404]]);

    proxy.reset();
    expect(await repo.readFile("tenants/nobody/missing.yaml", "main")).toBeNull();
    expect(proxy.log.map((r) => r.status)).toEqual([404]);
  });

  it("never retries a 422", async () => {
    const octokit = createOctokit(githubConfigFor(proxy.url, gh.sandbox));
    const { data: main } = await gh.github.git.getRef({ owner: gh.owner, repo: gh.name, ref: "heads/main" });
    const error = (await octokit.git.createRef({ owner: gh.owner, repo: gh.name, ref: "refs/heads/main", sha: main.object.sha }).catch((e: unknown) => e)) as { status?: number };
    expect(error.status).toBe(422);
    expect(proxy.log.map((r) => [r.method, r.status])).toEqual([["POST", 422]]);
  });

  it("an injected 422 is not retried even when GitHub would accept the retry", async () => {
    proxy.inject({ status: 422, body: { message: "Validation Failed" } });
    const error = (await repo.getPull(pullNumber).catch((e: unknown) => e)) as { status?: number };
    expect(error.status).toBe(422);
    expect(proxy.log).toHaveLength(1);
  });
});

describe.each(testDatabases())("GitOps requests on GitHub ($name)", (target) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await target.open();
    await t.migrate();
  });
  afterAll(async () => t?.close());

  async function tenantWithPeople() {
    const tenant = await seedTenant(t.db);
    return { tenant, ...(await seedPeople(t.db, tenant.id)) };
  }

  async function submitted(title = "Change") {
    const { tenant, requester, approver } = await tenantWithPeople();
    const request = await submittedRequest(t.db, gh.repo, requester, literalChange(tenant.id, title, configMapFiles(tenant.id, "x")));
    return { tenant, requester, approver, request };
  }

  const eventsOf = (requestId: string) => t.db.requestEvent.findMany({ where: { requestId }, orderBy: { at: "asc" } });

  describe("outbox: opening the PR survives a crash", () => {
    it("PR created, then the worker crashed before the row was updated: the job adopts that PR", async () => {
      const { tenant, requester } = await tenantWithPeople();
      const files = configMapFiles(tenant.id, "x");
      const queued = await createQueuedRequest(t.db, requester, literalChange(tenant.id, "Crash between PR and row", files));
      // The crashed attempt got as far as GitHub.
      const crashed = await gh.repo.openPull({ branch: queued.branch, title: `[portal #${queued.number}] Crash between PR and row`, body: "", changes: files, commitMessage: "crashed attempt" });
      expect((await t.db.changeRequest.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe("queued");

      const platform = () => gh.platform;
      expect(await drainOnce({ db: t.db, litellm: fakeLiteLLM().client, platform })).toBeGreaterThanOrEqual(1);
      const job = await t.db.outboxJob.findUniqueOrThrow({ where: { dedupeKey: `pr-open:${queued.id}` } });
      expect(job).toMatchObject({ status: "done", lastError: null });

      const row = await t.db.changeRequest.findUniqueOrThrow({ where: { id: queued.id } });
      expect(row).toMatchObject({ status: "submitted", prNumber: crashed.number, headSha: crashed.headSha, prUrl: crashed.url });

      // The job runs again (say the worker died before marking it done and the lease expired).
      await t.db.outboxJob.update({ where: { id: job.id }, data: { status: "pending", lockedAt: null, lockedBy: null, doneAt: null } });
      await drainOnce({ db: t.db, litellm: fakeLiteLLM().client, platform });
      await openPullRequest(t.db, gh.repo, queued.id);

      expect((await pullsForHead(gh, queued.branch)).map((p) => p.number)).toEqual([crashed.number]);
      expect(await branchesUnder(gh, queued.branch)).toEqual([queued.branch]);
      const statusEvents = (await eventsOf(queued.id)).filter((e) => e.toStatus !== null);
      expect(statusEvents.map((e) => `${e.fromStatus}→${e.toStatus}`)).toEqual(["queued→submitted"]);
      expect(await t.db.auditEvent.count({ where: { targetId: queued.id, action: "request.pr-open" } })).toBe(1);
    });

    it("GitHub down: the job fails and is retried later; no PR, the request stays queued", async () => {
      const { tenant, requester } = await tenantWithPeople();
      const queued = await createQueuedRequest(t.db, requester, literalChange(tenant.id, "While GitHub is down", configMapFiles(tenant.id, "x")));
      gh.sandbox.github.control.setFault({ mode: "unavailable" });
      try {
        await openPullRequest(t.db, gh.repo, queued.id).then(
          () => expect.fail("openPullRequest should fail while GitHub is down"),
          (e: { status?: number }) => expect(e.status).toBe(503),
        );
      } finally {
        gh.sandbox.github.control.resetFaults();
      }
      expect((await t.db.changeRequest.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe("queued");
      expect(await pullsForHead(gh, queued.branch)).toEqual([]);

      await openPullRequest(t.db, gh.repo, queued.id);
      const row = await t.db.changeRequest.findUniqueOrThrow({ where: { id: queued.id } });
      expect(row.status).toBe("submitted");
      expect((await pullsForHead(gh, queued.branch)).map((p) => p.number)).toEqual([row.prNumber]);
    });
  });

  describe("approve and merge, pinned to the reviewed head", () => {
    const review = { body: "LGTM", title: "Merge it", message: "Merged by the test" };

    it("a stale head SHA is refused with 409 and the PR stays open; the current head merges", async () => {
      const { request } = await submitted("Stale head");
      const newHead = await pushToBranch(gh, request.branch, [{ path: `tenants/${request.tenantId}/models/x/extra.yaml`, content: "extra: 1\n" }]);

      const refusal = await failureOf(gh.repo.approveAndMerge(request.prNumber, request.headSha, review), GitHubRefusal);
      expect(refusal.status).toBe(409);
      expect(refusal.message).toMatch(/Head branch was modified/);
      expect(await gh.repo.getPull(request.prNumber)).toMatchObject({ state: "open", merged: false, headSha: newHead });

      const mergeSha = await gh.repo.approveAndMerge(request.prNumber, newHead, review);
      expect(await gh.repo.getPull(request.prNumber)).toMatchObject({ merged: true, mergeCommitSha: mergeSha });
    });

    it("approving again after a lost answer neither posts a second review nor fails: the merge is already done", async () => {
      const { request } = await submitted("Approve twice");
      const first = await gh.repo.approveAndMerge(request.prNumber, request.headSha, review);
      const again = await gh.repo.approveAndMerge(request.prNumber, request.headSha, review);
      expect(again).toBe(first);
      const res = await fetch(`${gh.sandbox.urls.github}/repos/${gh.sandbox.github.owner}/${gh.sandbox.github.repo}/pulls/${request.prNumber}/reviews`, {
        headers: { authorization: `token ${gh.sandbox.github.token}` },
      });
      const reviews = (await res.json()) as { body: string; commit_id: string }[];
      expect(reviews.filter((r) => r.body === review.body && r.commit_id === request.headSha)).toHaveLength(1);
    });

    it("a merge blocked by branch protection is refused with 405 and GitHub's reason", async () => {
      const { request } = await submitted("Blocked at the repo level");
      gh.sandbox.github.control.blockMerge(request.prNumber, BLOCK_REASON);
      try {
        const refusal = await failureOf(gh.repo.approveAndMerge(request.prNumber, request.headSha, review), GitHubRefusal);
        expect(refusal.status).toBe(405);
        expect(refusal.message).toBe(BLOCK_REASON);
        expect(await gh.repo.getPull(request.prNumber)).toMatchObject({ state: "open", merged: false, mergeableState: "blocked" });
      } finally {
        gh.sandbox.github.control.unblockMerge(request.prNumber);
      }
    });

    it("approveRequest approves on GitHub, squash-merges at the head and moves the request to merged", async () => {
      const { request, approver } = await submitted("Happy approval");
      const { mergeSha } = await approveRequest(t.db, gh.repo, approver, request.id, { headSha: request.headSha, reason: "Looks right" });

      const pull = await gh.repo.getPull(request.prNumber);
      expect(pull).toMatchObject({ merged: true, mergeCommitSha: mergeSha });
      const { data: reviews } = await gh.github.pulls.listReviews({ owner: gh.owner, repo: gh.name, pull_number: request.prNumber });
      expect(reviews.map((r) => [r.state, r.commit_id])).toEqual([["APPROVED", request.headSha]]);
      expect(reviews[0]!.body).toContain(approver.email);
      const { data: commit } = await gh.github.git.getCommit({ owner: gh.owner, repo: gh.name, commit_sha: mergeSha });
      expect(commit.parents).toHaveLength(1); // squash

      const row = await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } });
      expect(row).toMatchObject({ status: "merged", mergeSha, decidedById: approver.userId, decisionReason: "Looks right" });
      expect(await t.db.auditEvent.count({ where: { targetId: request.id, action: "request.approve", outcome: "success" } })).toBe(1);
      // No LiteLLM team file in this change: nothing to apply after merge.
      expect(await t.db.outboxJob.count({ where: { dedupeKey: `apply-litellm:${request.id}` } })).toBe(0);
    });

    it("approveRequest with a blocked merge: conflict with GitHub's reason, a timeline note, still submitted", async () => {
      const { request, approver } = await submitted("Blocked approval");
      gh.sandbox.github.control.blockMerge(request.prNumber, BLOCK_REASON);
      try {
        const error = await failureOf(approveRequest(t.db, gh.repo, approver, request.id, { headSha: request.headSha, reason: "Ship it" }), AppError);
        expect(error.code).toBe("conflict");
        expect(error.message).toBe(`GitHub refused the merge: ${BLOCK_REASON}`);
      } finally {
        gh.sandbox.github.control.unblockMerge(request.prNumber);
      }
      const row = await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } });
      expect(row).toMatchObject({ status: "submitted", mergeSha: null, decidedById: null });
      const notes = (await eventsOf(request.id)).filter((e) => e.type === "github");
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ actorEmail: approver.email, message: `GitHub refused the merge: ${BLOCK_REASON}`, detail: { status: 405 } });
      expect(await t.db.auditEvent.count({ where: { targetId: request.id, action: "request.approve", outcome: "failure" } })).toBe(1);
      expect(await gh.repo.getPull(request.prNumber)).toMatchObject({ state: "open", merged: false });

      // Once the check passes, the same approval goes through.
      await approveRequest(t.db, gh.repo, approver, request.id, { headSha: request.headSha, reason: "Ship it" });
      expect((await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("merged");
    });

    it("approveRequest when the head moved on GitHub before the portal noticed: GitHub's 409 becomes a conflict", async () => {
      const { request, approver } = await submitted("Moved under the approver");
      await pushToBranch(gh, request.branch, [{ path: `tenants/${request.tenantId}/models/x/sneaky.yaml`, content: "sneaky: true\n" }]);
      const error = await failureOf(approveRequest(t.db, gh.repo, approver, request.id, { headSha: request.headSha, reason: "Reviewed" }), AppError);
      expect(error.code).toBe("conflict");
      expect(error.message).toMatch(/^GitHub refused the merge: Head branch was modified/);
      expect((await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("submitted");
      expect((await gh.repo.getPull(request.prNumber)).merged).toBe(false);
    });

    it("approveRequest with a SHA other than the one the portal holds is refused before GitHub is asked", async () => {
      const { request, approver } = await submitted("Approver saw something else");
      const error = await failureOf(approveRequest(t.db, gh.repo, approver, request.id, { headSha: "0".repeat(40), reason: "Reviewed" }), AppError);
      expect(error.code).toBe("conflict");
      const { data: reviews } = await gh.github.pulls.listReviews({ owner: gh.owner, repo: gh.name, pull_number: request.prNumber });
      expect(reviews).toEqual([]);
    });

    it("the requester cannot approve their own request, even as a platform admin: 403, nothing on GitHub", async () => {
      const tenant = await seedTenant(t.db);
      const { approver: adminRequester } = await seedPeople(t.db, tenant.id);
      const request = await submittedRequest(t.db, gh.repo, adminRequester, literalChange(tenant.id, "Self approval", configMapFiles(tenant.id, "x")));

      const error = await failureOf(approveRequest(t.db, gh.repo, adminRequester, request.id, { headSha: request.headSha, reason: "Mine" }), AppError);
      expect(error.code).toBe("forbidden");
      expect(error.status).toBe(403);
      expect(error.message).toBe("You cannot approve or reject your own request");
      expect(await t.db.auditEvent.count({ where: { targetId: request.id, action: "request.decide", outcome: "denied" } })).toBe(1);
      expect((await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("submitted");
      const { data: reviews } = await gh.github.pulls.listReviews({ owner: gh.owner, repo: gh.name, pull_number: request.prNumber });
      expect(reviews).toEqual([]);
      expect((await gh.repo.getPull(request.prNumber)).merged).toBe(false);
    });

    it("rejectRequest comments with the reason, closes the PR and moves the request to rejected", async () => {
      const { request, approver } = await submitted("To be rejected");
      await rejectRequest(t.db, gh.repo, approver, request.id, { reason: "Too many replicas" });

      expect(await gh.repo.getPull(request.prNumber)).toMatchObject({ state: "closed", merged: false });
      const { data: comments } = await gh.github.issues.listComments({ owner: gh.owner, repo: gh.name, issue_number: request.prNumber });
      expect(comments.map((c) => c.body)).toEqual([`Rejected in Inference Portal by ${approver.email}: Too many replicas`]);
      const row = await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } });
      expect(row).toMatchObject({ status: "rejected", decidedById: approver.userId, decisionReason: "Too many replicas" });

      // A decided request cannot be decided again.
      const again = await failureOf(rejectRequest(t.db, gh.repo, approver, request.id, { reason: "Twice" }), AppError);
      expect(again.code).toBe("conflict");
      const { data: after } = await gh.github.issues.listComments({ owner: gh.owner, repo: gh.name, issue_number: request.prNumber });
      expect(after).toHaveLength(1);
    });
  });

  describe("reconcilePull", () => {
    it("a head that moved on GitHub is taken over once, with a note that it needs a new review", async () => {
      const { request } = await submitted("Head moves");
      const newHead = await pushToBranch(gh, request.branch, [{ path: `tenants/${request.tenantId}/models/x/more.yaml`, content: "more: 1\n" }]);
      await reconcilePull(t.db, gh.platform, request);
      await reconcilePull(t.db, gh.platform, request); // stale row in hand: the CAS on headSha keeps it to one note

      const row = await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } });
      expect(row).toMatchObject({ status: "submitted", headSha: newHead });
      const notes = (await eventsOf(request.id)).filter((e) => e.type === "github");
      expect(notes.map((n) => n.message)).toEqual([`Pull request head changed to ${newHead.slice(0, 7)}; it must be reviewed again`]);
    });

    it("a PR closed on GitHub without merging rejects the request", async () => {
      const { request } = await submitted("Closed outside");
      await gh.github.pulls.update({ owner: gh.owner, repo: gh.name, pull_number: request.prNumber, state: "closed" });
      await reconcilePull(t.db, gh.platform, request);
      expect((await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("rejected");
    });
  });

  describe("rollback and late rendering", () => {
    it("a rollback PR restores the files as of the merge's parent", async () => {
      const { tenant, requester, approver } = await tenantWithPeople();
      const v1 = deploymentInput(tenant.id, "svc", { maxReplicas: 1 });
      const v2 = deploymentInput(tenant.id, "svc", { maxReplicas: 3, queueDepthTarget: 16 });
      // openPullRequest renders model deployments against main; the change starts empty.
      const first = await submittedRequest(t.db, gh.repo, requester, unrendered(v1, tenant.id));
      const { mergeSha: firstMerge } = await approveRequest(t.db, gh.repo, approver, first.id, { headSha: first.headSha, reason: "v1" });
      const second = await submittedRequest(t.db, gh.repo, requester, unrendered(v2, tenant.id));
      const { mergeSha } = await approveRequest(t.db, gh.repo, approver, second.id, { headSha: second.headSha, reason: "v2" });
      await t.db.changeRequest.update({ where: { id: second.id }, data: { status: "live" } }); // as Argo CD would report it
      expect(await gh.repo.parentOf(mergeSha)).toBe(firstMerge);

      const rollback = await rollbackRequest(t.db, gh.repo, requester, second.id);
      expect(rollback).toMatchObject({ kind: "rollback", status: "queued", rollbackOfId: second.id, argoApp: `tenant-${tenant.id}` });
      const v1Files = renderRequest(v1, renderContext());
      const changedByV2 = (second.files as FileChange[]).filter((f) => f.content !== (v1Files.find((v) => v.path === f.path)?.content ?? null)).map((f) => f.path);
      expect(changedByV2.length).toBeGreaterThan(0);
      const restored = rollback.files as FileChange[];
      expect(restored.map((f) => f.path)).toEqual(expect.arrayContaining(changedByV2));
      for (const f of restored) expect(f.content).toBe(v1Files.find((v) => v.path === f.path)?.content ?? null);

      await openPullRequest(t.db, gh.repo, rollback.id);
      const opened = await t.db.changeRequest.findUniqueOrThrow({ where: { id: rollback.id } });
      expect(opened.status).toBe("submitted");
      const changed = (await gh.repo.listFiles(opened.prNumber!)).filter((f) => f.status === "modified").map((f) => f.filename);
      expect(changed.length).toBeGreaterThan(0);
      const rollbackMerge = await gh.repo.approveAndMerge(opened.prNumber!, opened.headSha!, { body: "ok", title: "rollback", message: "rollback" });
      for (const f of v1Files) expect(await gh.repo.readFile(f.path, rollbackMerge)).toBe(f.content);
    }, 60_000);

    it("a rollback of a rollback is refused", async () => {
      const { request, requester } = await submitted("A literal change is a rollback");
      await t.db.changeRequest.update({ where: { id: request.id }, data: { status: "live", mergeSha: request.headSha } });
      const error = await failureOf(rollbackRequest(t.db, gh.repo, requester, request.id), AppError);
      expect(error.code).toBe("conflict");
    });

    it("a rollback of a request that is not live or failed is refused", async () => {
      const { request, requester } = await submitted("Not merged yet");
      const error = await failureOf(rollbackRequest(t.db, gh.repo, requester, request.id), AppError);
      expect(error.code).toBe("conflict");
    });

    it("submitted while GitHub is down: accepted unrendered, rendered and opened when GitHub is back", async () => {
      const { tenant, requester } = await tenantWithPeople();
      const input = deploymentInput(tenant.id, "late");
      gh.sandbox.github.control.setFault({ mode: "unavailable" });
      let queued;
      try {
        queued = await submitRequest(t.db, gh.repo, requester, input);
      } finally {
        gh.sandbox.github.control.resetFaults();
      }
      expect(queued).toMatchObject({ status: "queued", files: [], argoApp: `tenant-${tenant.id}` });

      await openPullRequest(t.db, gh.repo, queued.id);
      const row = await t.db.changeRequest.findUniqueOrThrow({ where: { id: queued.id } });
      expect(row.status).toBe("submitted");
      const expected = renderRequest(input, renderContext()).map((f) => f.path);
      const files = (row.files as FileChange[]).map((f) => f.path);
      expect(files).toEqual(expect.arrayContaining(expected));
      expect(row.title).not.toBe(`model-deployment for ${tenant.id}`);
      expect((await gh.repo.listFiles(row.prNumber!)).map((f) => f.filename).sort()).toEqual([...files].sort());
    });
  });

  describe("webhooks", () => {
    const SECRET = `test-hook-secret-${unique()}`;
    type Received = { id: string; event: string; signature: string | null; raw: string; json: { action?: string; pull_request?: { number: number } } };
    const received: Received[] = [];
    let receiver: Server;
    let hookId: number;

    beforeAll(async () => {
      receiver = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({
          id: String(req.headers["x-github-delivery"]),
          event: String(req.headers["x-github-event"]),
          signature: (req.headers["x-hub-signature-256"] as string | undefined) ?? null,
          raw,
          json: JSON.parse(raw),
        });
        res.writeHead(204).end();
      });
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
      hookId = gh.sandbox.github.control.addWebhook(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, SECRET, ["pull_request"]);
    });
    afterAll(async () => {
      gh.sandbox.github.control.removeWebhook(hookId);
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    });

    const deliveryFor = (prNumber: number, action: string) =>
      eventually(async () => received.find((d) => d.json.pull_request?.number === prNumber && d.json.action === action), 10_000, `the "${action}" delivery for PR #${prNumber}`);
    const asDelivery = (d: Received) => ({ id: d.id, event: d.event, body: JSON.parse(d.raw) as unknown });

    async function mergedOnGitHub(title: string) {
      const { request } = await submitted(title);
      const { data } = await gh.github.pulls.merge({ owner: gh.owner, repo: gh.name, pull_number: request.prNumber, sha: request.headSha, merge_method: "squash" });
      return { request, mergeSha: data.sha, delivery: await deliveryFor(request.prNumber, "closed") };
    }

    it("the sandbox's deliveries carry a signature that verifies with the registered secret, and only with it", async () => {
      const { request } = await submitted("Signed deliveries");
      const opened = await deliveryFor(request.prNumber, "opened");
      expect(opened.event).toBe("pull_request");
      expect(verifyWebhookSignature(SECRET, opened.raw, opened.signature)).toBe(true);
      expect(verifyWebhookSignature("sandbox-webhook-secret", opened.raw, opened.signature)).toBe(false);
      expect(verifyWebhookSignature(SECRET, opened.raw.replace(`"number":${request.prNumber}`, `"number":${request.prNumber + 1}`), opened.signature)).toBe(false);
      for (const d of received) expect(verifyWebhookSignature(SECRET, d.raw, d.signature)).toBe(true);
    });

    it("a merged-PR delivery moves the request to merged; the same delivery again is a duplicate", async () => {
      const { request, mergeSha, delivery } = await mergedOnGitHub("Merged outside the portal");
      expect(await handleWebhook(t.db, gh.platform, asDelivery(delivery))).toBe("processed");
      const row = await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } });
      expect(row).toMatchObject({ status: "merged", mergeSha });
      const eventsAfterFirst = await eventsOf(request.id);
      expect(eventsAfterFirst.filter((e) => e.toStatus === "merged")).toHaveLength(1);

      expect(await handleWebhook(t.db, gh.platform, asDelivery(delivery))).toBe("duplicate");
      // GitHub's "Redeliver" sends the same bytes under the same id.
      const redelivered = await gh.sandbox.github.control.redeliver(delivery.id);
      expect(redelivered.statusCode).toBe(204);
      const again = received.filter((d) => d.id === delivery.id);
      expect(again).toHaveLength(2);
      expect(again[1]!.raw).toBe(delivery.raw);
      expect(await handleWebhook(t.db, gh.platform, asDelivery(again[1]!))).toBe("duplicate");

      expect(await eventsOf(request.id)).toHaveLength(eventsAfterFirst.length);
      expect(await t.db.webhookDelivery.count({ where: { deliveryId: delivery.id } })).toBe(1);
    });

    it("a delivery whose processing fails is forgotten, so its redelivery is processed", async () => {
      const { request, mergeSha, delivery } = await mergedOnGitHub("GitHub flaky during the webhook");
      gh.sandbox.github.control.setFault({ mode: "unavailable", count: 3 }); // every attempt of getPull
      try {
        const failure = (await handleWebhook(t.db, gh.platform, asDelivery(delivery)).catch((e: unknown) => e)) as { status?: number };
        expect(failure.status).toBe(503);
      } finally {
        gh.sandbox.github.control.resetFaults();
      }
      expect(await t.db.webhookDelivery.count({ where: { deliveryId: delivery.id } })).toBe(0);
      expect((await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("submitted");

      expect(await handleWebhook(t.db, gh.platform, asDelivery(delivery))).toBe("processed");
      expect(await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "merged", mergeSha });
    });

    it("the payload is only a hint: a delivery claiming a merge does not merge an open PR's request", async () => {
      const { request } = await submitted("Forged merge claim");
      const opened = await deliveryFor(request.prNumber, "opened");
      const forged = JSON.parse(opened.raw) as { action: string; pull_request: Record<string, unknown> };
      forged.action = "closed";
      Object.assign(forged.pull_request, { state: "closed", merged: true, merge_commit_sha: "f".repeat(40) });
      expect(await handleWebhook(t.db, gh.platform, { id: randomUUID(), event: "pull_request", body: forged })).toBe("processed");
      expect(await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "submitted", mergeSha: null });
    });

    it("events it does not handle, PRs it does not know and malformed bodies are ignored", async () => {
      expect(await handleWebhook(t.db, gh.platform, { id: randomUUID(), event: "push", body: { ref: "refs/heads/main" } })).toBe("ignored");
      expect(await handleWebhook(t.db, gh.platform, { id: randomUUID(), event: "pull_request", body: { action: "opened", pull_request: { number: 999_999 } } })).toBe("ignored");
      expect(await handleWebhook(t.db, gh.platform, { id: randomUUID(), event: "pull_request", body: { action: "opened", pull_request: { number: "1" } } })).toBe("ignored");
    });
  });
});
