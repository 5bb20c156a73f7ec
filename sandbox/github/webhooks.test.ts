import { createHmac, timingSafeEqual } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitOnBranch, startHookReceiver, startTestGitHub, type ReceivedHook, type TestGitHub } from "./test-helpers";

const SECRET = "webhook-secret-ünïcode";

/** What a receiver must do: HMAC-SHA256 over the raw bytes, constant-time compare. */
function signatureValid(hook: ReceivedHook, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(hook.rawBody).digest("hex")}`);
  const given = Buffer.from(String(hook.headers["x-hub-signature-256"]));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

describe("GitHub stand-in: webhooks", () => {
  let gh: TestGitHub;
  let receiver: Awaited<ReturnType<typeof startHookReceiver>>;

  beforeEach(async () => {
    gh = await startTestGitHub();
  });
  afterEach(async () => {
    await gh.close();
    await receiver?.close();
  });

  it("delivers signed pull_request, review and push events for the PR lifecycle", async () => {
    receiver = await startHookReceiver();
    gh.control.addWebhook(receiver.url, SECRET);
    const { octokit, owner, repo } = gh;

    const head = await commitOnBranch(gh, "tenant/acme", { "tenants/acme/values.yaml": "team: acme\n" });
    const pr = await octokit.pulls.create({ owner, repo, title: "Onboard acme", head: "tenant/acme", base: "main" });
    const head2 = await commitOnBranch(gh, "tenant/acme", { "tenants/acme/values.yaml": "team: acme\nbudget: 10\n" });
    await octokit.pulls.createReview({ owner, repo, pull_number: pr.data.number, event: "APPROVE" });
    const merged = await octokit.pulls.merge({ owner, repo, pull_number: pr.data.number, merge_method: "squash", sha: head2 });
    await gh.control.webhooksSettled();

    for (const hook of receiver.received) {
      expect(signatureValid(hook, SECRET)).toBe(true);
      expect(hook.headers["content-type"]).toBe("application/json");
      expect(hook.headers["user-agent"]).toBe("GitHub-Hookshot/sandbox");
      expect(hook.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(signatureValid(hook, "wrong secret")).toBe(false);
    }

    const prEvents = receiver.events("pull_request").map((h) => h.json);
    expect(prEvents.map((e) => e.action)).toEqual(["opened", "synchronize", "closed"]);
    expect(prEvents[0]).toMatchObject({ number: pr.data.number, pull_request: { head: { sha: head }, state: "open" }, repository: { full_name: "platform/platform-gitops" }, sender: { login: "inference-portal[bot]" } });
    expect(prEvents[1]).toMatchObject({ before: head, after: head2, pull_request: { head: { sha: head2 } } });
    expect(prEvents[2]).toMatchObject({ pull_request: { merged: true, merge_commit_sha: merged.data.sha, state: "closed" } });

    const review = receiver.events("pull_request_review")[0]!.json;
    expect(review).toMatchObject({ action: "submitted", review: { state: "APPROVED", commit_id: head2 }, pull_request: { number: pr.data.number } });

    const mainPush = receiver.events("push").map((h) => h.json).find((p) => p.ref === "refs/heads/main")!;
    expect(mainPush).toMatchObject({ after: merged.data.sha, created: false, deleted: false, forced: false, head_commit: { id: merged.data.sha } });
    expect((mainPush.commits as Array<{ modified: string[]; added: string[] }>)[0]!.added).toEqual(["tenants/acme/values.yaml"]);

    expect(gh.control.deliveries.every((d) => d.status === "delivered")).toBe(true);
  });

  it("retries failed deliveries and records each attempt", async () => {
    receiver = await startHookReceiver([500, 502]);
    gh.control.addWebhook(receiver.url, SECRET, ["push"]);
    await commitOnBranch(gh, "retry-me", { "x.txt": "x\n" });
    await gh.control.webhooksSettled();

    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((h) => h.headers["x-github-delivery"])).size).toBe(1);
    const [delivery] = gh.control.deliveries;
    expect(delivery).toMatchObject({ event: "push", status: "delivered", statusCode: 200 });
    expect(delivery!.attempts.map((a) => a.statusCode)).toEqual([500, 502, 200]);
  });

  it("gives up after the last retry and marks the delivery failed", async () => {
    receiver = await startHookReceiver([500, 500, 500, 500]);
    gh.control.addWebhook(receiver.url, SECRET, ["push"]);
    await commitOnBranch(gh, "fail-me", { "x.txt": "x\n" });
    await gh.control.webhooksSettled();
    expect(gh.control.deliveries[0]).toMatchObject({ status: "failed", statusCode: 500 });
    expect(gh.control.deliveries[0]!.attempts).toHaveLength(3);
  });

  it("redelivers the same body with the same delivery id", async () => {
    receiver = await startHookReceiver();
    gh.control.addWebhook(receiver.url, SECRET, ["pull_request"]);
    await commitOnBranch(gh, "tenant/redeliver", { "a.txt": "a\n" });
    await gh.octokit.pulls.create({ owner: gh.owner, repo: gh.repo, title: "Redeliver me", head: "tenant/redeliver", base: "main" });
    await gh.control.webhooksSettled();

    const original = gh.control.deliveries[0]!;
    const again = await gh.control.redeliver(original.id);
    expect(again).toMatchObject({ id: original.id, redelivery: true, status: "delivered" });
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(second!.headers["x-github-delivery"]).toBe(first!.headers["x-github-delivery"]);
    expect(second!.rawBody.equals(first!.rawBody)).toBe(true);
    expect(second!.headers["x-hub-signature-256"]).toBe(first!.headers["x-hub-signature-256"]);
    expect(gh.control.deliveries.map((d) => d.redelivery)).toEqual([false, true]);
  });

  it("registers hooks and redelivers over the HTTP control endpoints too", async () => {
    receiver = await startHookReceiver();
    const base = gh.baseUrl;
    const add = await fetch(`${base}/_sandbox/webhooks`, { method: "POST", body: JSON.stringify({ url: receiver.url, secret: SECRET, events: ["push"] }) });
    expect(add.status).toBe(201);
    await commitOnBranch(gh, "via-http", { "a.txt": "a\n" });
    await gh.control.webhooksSettled();
    const deliveries = (await (await fetch(`${base}/_sandbox/deliveries`)).json()) as Array<{ id: string; status: string }>;
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).not.toHaveProperty("body");
    const again = await fetch(`${base}/_sandbox/deliveries/${deliveries[0]!.id}/redeliver`, { method: "POST" });
    expect(await again.json()).toMatchObject({ id: deliveries[0]!.id, redelivery: true, status: "delivered" });
    expect(receiver.received).toHaveLength(2);
  });

  it("closes an open pull request whose head branch is deleted", async () => {
    receiver = await startHookReceiver();
    gh.control.addWebhook(receiver.url, SECRET, ["pull_request"]);
    await commitOnBranch(gh, "tenant/gone", { "a.txt": "a\n" });
    const pr = await gh.octokit.pulls.create({ owner: gh.owner, repo: gh.repo, title: "Gone", head: "tenant/gone", base: "main" });
    await gh.octokit.git.deleteRef({ owner: gh.owner, repo: gh.repo, ref: "heads/tenant/gone" });
    await gh.control.webhooksSettled();
    expect(receiver.events("pull_request").map((h) => h.json.action)).toEqual(["opened", "closed"]);
    const { data } = await gh.octokit.pulls.get({ owner: gh.owner, repo: gh.repo, pull_number: pr.data.number });
    expect(data).toMatchObject({ state: "closed", merged: false });
  });
});
