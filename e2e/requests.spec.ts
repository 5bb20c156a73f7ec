/**
 * GitOps requests end to end: a tenant admin's request becomes one pull request on the platform
 * repo (the sandbox's GitHub over a real git repository), a platform admin approves or rejects it
 * in the portal, and Argo CD (the sandbox's reconciler) takes it to live — or to failed, with
 * Argo's own message.
 */
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { E2E } from "./env";
import { test } from "./support";

const gh = (path: string) => `${E2E.githubUrl}/repos/${E2E.githubRepo}${path}`;
const ghHeaders = { authorization: `token ${E2E.githubToken}`, accept: "application/vnd.github+json" };

async function githubJson<T>(request: APIRequestContext, path: string): Promise<T> {
  const res = await request.get(gh(path), { headers: ghHeaders });
  expect(res.status(), `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}

type Detail = { request: { id: string; status: string; prNumber: number | null; headSha: string | null; branch: string; mergeSha: string | null; failureReason: string | null }; events: { message: string; toStatus: string | null }[] };

async function detail(page: Page, id: string): Promise<Detail> {
  const res = await page.request.get(`/api/requests/${id}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as Detail;
}

async function waitForStatus(page: Page, id: string, status: string, timeout = 30_000): Promise<Detail> {
  let last: Detail | undefined;
  await expect
    .poll(async () => (last = await detail(page, id)).request.status, { timeout, intervals: [250, 500, 1000] })
    .toBe(status);
  return last!;
}

async function submitViaApi(page: Page, body: Record<string, unknown>): Promise<string> {
  const res = await page.request.post("/api/requests", { data: body, headers: { origin: E2E.portalUrl } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { request: { id: string } }).request.id;
}

const deployment = (name: string) => ({
  kind: "model-deployment",
  tenant: "acme",
  name,
  model: "qwen2.5-0.5b-instruct",
  servingLayer: "vllm",
  gpuType: "L4",
  gpusPerReplica: 1,
  minReplicas: 1,
  maxReplicas: 2,
  queueDepthTarget: 8,
});

test("a tenant admin's deployment request becomes a PR, is approved in the portal, merged and goes live", async ({ as }) => {
  const name = `chat-${Date.now() % 100000}`;
  const admin = await as("admin@acme.example", "/requests/new?tenant=acme");
  await admin.getByLabel("Deployment name").fill(name);
  await expect(admin.getByTestId("cost-estimate")).toContainText("/hour per replica");
  // 70B on one L4 cannot fit: the form says so before anything is sent.
  await admin.getByLabel("Model", { exact: true }).selectOption("llama-3.1-70b-instruct");
  await expect(admin.getByTestId("cost-estimate")).toContainText("does not fit");
  await expect(admin.getByRole("button", { name: "Submit request" })).toBeDisabled();
  await admin.getByLabel("Model", { exact: true }).selectOption("qwen2.5-0.5b-instruct");
  await admin.getByRole("button", { name: "Submit request" }).click();
  await admin.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  const id = admin.url().split("/").pop()!;

  const submitted = await waitForStatus(admin, id, "submitted");
  const pr = submitted.request.prNumber!;
  const files = await githubJson<{ filename: string }[]>(admin.request, `/pulls/${pr}/files`);
  const paths = files.map((f) => f.filename);
  expect(paths).toEqual(expect.arrayContaining([`tenants/acme/models/${name}/deployment.yaml`, `tenants/acme/models/${name}/scaledobject.yaml`]));
  const pull = await githubJson<{ state: string; body: string; head: { ref: string } }>(admin.request, `/pulls/${pr}`);
  expect(pull.state).toBe("open");
  expect(pull.head.ref).toBe(submitted.request.branch);
  expect(pull.body).toContain("admin@acme.example");
  await admin.reload();
  await expect(admin.getByTestId("pr-link")).toContainText(`#${pr}`);

  // The requester may not decide; a platform admin can.
  expect((await admin.request.post(`/api/requests/${id}/approve`, { data: { headSha: submitted.request.headSha, reason: "mine" }, headers: { origin: E2E.portalUrl } })).status()).toBe(403);

  const platform = await as("platform@example.com", "/approvals");
  const card = platform.locator(`[data-testid^="approval-"]`).filter({ hasText: name });
  await expect(card).toBeVisible();
  await card.getByLabel("Reason").fill("Fits the tenant's quota");
  await card.getByRole("button", { name: "Approve and merge" }).click();
  await expect(card).toBeHidden({ timeout: 15_000 });

  const live = await waitForStatus(platform, id, "live", 45_000);
  const main = await githubJson<{ sha: string }>(platform.request, "/commits/main");
  const compare = await githubJson<{ status: string }>(platform.request, `/compare/${live.request.mergeSha}...${main.sha}`);
  expect(["ahead", "identical"]).toContain(compare.status);
  const onMain = await githubJson<{ content: string }>(platform.request, `/contents/tenants/acme/models/${name}/deployment.yaml?ref=main`);
  expect(Buffer.from(onMain.content, "base64").toString()).toContain("Qwen/Qwen2.5-0.5B-Instruct");
  expect(live.events.map((e) => e.toStatus)).toEqual(expect.arrayContaining(["submitted", "merged", "live"]));

  await platform.goto(`/requests/${id}`);
  await expect(platform.getByTestId("request-status")).toHaveText("live");
  await expect(platform.getByTestId("timeline-event").filter({ hasText: "Synced and Healthy" })).toBeVisible();
});

test("a rejected request closes its PR with the reason", async ({ as }) => {
  const admin = await as("admin@acme.example");
  const id = await submitViaApi(admin, { kind: "budget-limits", tenant: "acme", monthlyBudget: 750, softBudgetThresholds: [80, 100], rpmLimit: 600, tpmLimit: 200000 });
  const submitted = await waitForStatus(admin, id, "submitted");

  const platform = await as("platform@example.com", `/requests/${id}`);
  await platform.getByLabel("Reason").fill("Budget increases wait for the quarterly review");
  await platform.getByRole("button", { name: "Reject" }).click();
  await expect(platform.getByTestId("request-status")).toHaveText("rejected");
  const pull = await githubJson<{ state: string; merged: boolean }>(platform.request, `/pulls/${submitted.request.prNumber}`);
  expect(pull).toMatchObject({ state: "closed", merged: false });
  const comments = await githubJson<{ body: string }[]>(platform.request, `/issues/${submitted.request.prNumber}/comments`);
  expect(comments.map((c) => c.body).join("\n")).toContain("quarterly review");
});

test("GitHub down during submit: the request is queued, then exactly one PR appears when GitHub is back", async ({ as }) => {
  const admin = await as("admin@acme.example");
  const faults = await admin.request.post(`${E2E.githubUrl}/_sandbox/faults`, { data: { mode: "unavailable" } });
  expect(faults.ok()).toBeTruthy();
  let id: string;
  try {
    id = await submitViaApi(admin, { kind: "model-access", tenant: "acme", models: ["qwen2.5-0.5b-instruct", "llama-3.1-8b-instruct"] });
    await admin.waitForTimeout(1_500); // several worker attempts fail meanwhile
    expect((await detail(admin, id)).request.status).toBe("queued");
  } finally {
    await admin.request.post(`${E2E.githubUrl}/_sandbox/faults`, { data: { mode: "ok" } });
  }
  const submitted = await waitForStatus(admin, id, "submitted", 60_000);
  const pulls = await githubJson<{ number: number }[]>(admin.request, `/pulls?state=all&head=platform:${encodeURIComponent(submitted.request.branch)}`);
  expect(pulls.map((p) => p.number)).toEqual([submitted.request.prNumber]);
});

test("a change pushed to the PR voids the review; merged with an invalid object it fails with Argo's message", async ({ as }) => {
  const name = `broken-${Date.now() % 100000}`;
  const admin = await as("admin@acme.example");
  const id = await submitViaApi(admin, deployment(name));
  const submitted = await waitForStatus(admin, id, "submitted");

  // Someone edits the branch on GitHub: a Deployment whose replicas is a string.
  const branch = submitted.request.branch;
  const ref = await githubJson<{ object: { sha: string } }>(admin.request, `/git/ref/heads/${branch}`);
  const commit = await githubJson<{ tree: { sha: string } }>(admin.request, `/git/commits/${ref.object.sha}`);
  const bad = [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${name}-extra`,
    "spec:",
    '  replicas: "two"',
    "  selector: { matchLabels: { app: x } }",
    "  template:",
    "    metadata: { labels: { app: x } }",
    "    spec: { containers: [{ name: c, image: docker.io/library/busybox:1.36 }] }",
    "",
  ].join("\n");
  const tree = await admin.request.post(gh("/git/trees"), { headers: ghHeaders, data: { base_tree: commit.tree.sha, tree: [{ path: `tenants/acme/models/${name}/extra.yaml`, mode: "100644", type: "blob", content: bad }] } });
  const newCommit = await admin.request.post(gh("/git/commits"), { headers: ghHeaders, data: { message: "hand edit", tree: (await tree.json()).sha, parents: [ref.object.sha] } });
  const newSha = ((await newCommit.json()) as { sha: string }).sha;
  expect((await admin.request.patch(gh(`/git/refs/heads/${branch}`), { headers: ghHeaders, data: { sha: newSha, force: true } })).ok()).toBeTruthy();

  const platform = await as("platform@example.com");
  // Approving what was reviewed (the old head) is refused once the portal knows the head moved.
  await expect.poll(async () => (await detail(platform, id)).request.headSha, { timeout: 15_000 }).toBe(newSha);
  const stale = await platform.request.post(`/api/requests/${id}/approve`, { data: { headSha: submitted.request.headSha, reason: "ok" }, headers: { origin: E2E.portalUrl } });
  expect(stale.status()).toBe(409);

  const approved = await platform.request.post(`/api/requests/${id}/approve`, { data: { headSha: newSha, reason: "reviewed the hand edit" }, headers: { origin: E2E.portalUrl } });
  expect(approved.status(), await approved.text()).toBe(200);
  const failed = await waitForStatus(platform, id, "failed", 45_000);
  expect(failed.request.failureReason).toMatch(/replicas/);
  await platform.goto(`/requests/${id}`);
  await expect(platform.getByTestId("failure-reason")).toContainText("replicas");

  // Rolling back the failed change reverts the whole merge commit, hand edit included, and the
  // tenant's Application is healthy again.
  const rollback = await admin.request.post(`/api/requests/${id}/rollback`, { data: {}, headers: { origin: E2E.portalUrl } });
  expect(rollback.status(), await rollback.text()).toBe(201);
  const rollbackId = ((await rollback.json()) as { request: { id: string } }).request.id;
  const revert = await waitForStatus(admin, rollbackId, "submitted");
  const revertFiles = await githubJson<{ filename: string }[]>(admin.request, `/pulls/${revert.request.prNumber}/files`);
  expect(revertFiles.map((f) => f.filename)).toContain(`tenants/acme/models/${name}/extra.yaml`);
  const ok = await platform.request.post(`/api/requests/${rollbackId}/approve`, { data: { headSha: revert.request.headSha, reason: "revert the broken change" }, headers: { origin: E2E.portalUrl } });
  expect(ok.status(), await ok.text()).toBe(200);
  await waitForStatus(platform, rollbackId, "live", 45_000);
  expect((await platform.request.get(gh(`/contents/tenants/acme/models/${name}/extra.yaml?ref=main`), { headers: ghHeaders })).status()).toBe(404);
});

test("developers cannot reach approvals; another tenant cannot see acme's requests", async ({ as }) => {
  const admin = await as("admin@acme.example");
  const id = await submitViaApi(admin, { kind: "model-access", tenant: "acme", models: ["qwen2.5-0.5b-instruct"] });

  const dev = await as("dev@acme.example");
  expect((await dev.request.get("/api/approvals")).status()).toBe(403);
  expect((await dev.request.post(`/api/requests/${id}/approve`, { data: { headSha: "0".repeat(40), reason: "x" }, headers: { origin: E2E.portalUrl } })).status()).toBe(403);
  await dev.goto("/approvals");
  await expect(dev.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(dev.getByRole("link", { name: "Approvals" })).toHaveCount(0);

  const globex = await as("dev@globex.example");
  expect((await globex.request.get(`/api/requests/${id}`)).status()).toBe(404);
  expect((await globex.request.get("/api/requests?tenant=acme")).status()).toBe(404);
  await globex.goto(`/requests/${id}`);
  await expect(globex.getByRole("heading", { name: "Not found" })).toBeVisible();
  expect(await globex.content()).not.toContain("acme");
});

test("rolling back a live deployment opens a revert PR; once live, the files are gone and the original is superseded", async ({ as }) => {
  const name = `undo-${Date.now() % 100000}`;
  const admin = await as("admin@acme.example");
  const platform = await as("platform@example.com");
  const approve = async (id: string) => {
    const { request } = await waitForStatus(admin, id, "submitted");
    const res = await platform.request.post(`/api/requests/${id}/approve`, { data: { headSha: request.headSha, reason: "ok" }, headers: { origin: E2E.portalUrl } });
    expect(res.status(), await res.text()).toBe(200);
  };
  const original = await submitViaApi(admin, deployment(name));
  await approve(original);
  await waitForStatus(admin, original, "live", 45_000);

  await admin.goto(`/requests/${original}`);
  await admin.getByRole("button", { name: "Roll back this change" }).click();
  await admin.waitForURL((url) => url.pathname.startsWith("/requests/") && !url.pathname.endsWith(original));
  const rollback = admin.url().split("/").pop()!;
  const submitted = await waitForStatus(admin, rollback, "submitted");
  const files = await githubJson<{ filename: string; status: string }[]>(admin.request, `/pulls/${submitted.request.prNumber}/files`);
  expect(files.length).toBeGreaterThan(0);
  expect(files.every((f) => f.status === "removed")).toBe(true);

  await approve(rollback);
  await waitForStatus(admin, rollback, "live", 45_000);
  const gone = await admin.request.get(gh(`/contents/tenants/acme/models/${name}/deployment.yaml?ref=main`), { headers: ghHeaders });
  expect(gone.status()).toBe(404);
  expect((await detail(admin, original)).request.status).toBe("superseded");
});
