import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUIET, commitOnBranch, failure, startTestGitHub, type TestGitHub } from "./test-helpers";

// Exact bytes the portal would write: non-ASCII, no trailing newline, CRLF.
const NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tenant-acme\n";
const VALUES = "team: Ακμή GmbH — ünïcode\r\nbudget: 1200\nno-trailing-newline";
const KUSTOMIZATION = "resources:\n  - namespace.yaml\n";

describe("GitHub stand-in: GitOps pull request flow through Octokit", () => {
  let gh: TestGitHub;
  let mainBefore: string;
  let headSha: string;
  let prNumber: number;
  let mergeSha: string;
  const branch = "tenant/acme-onboarding";

  beforeAll(async () => {
    gh = await startTestGitHub();
  });
  afterAll(async () => {
    await gh.close();
  });

  it("serves the repository with main as default branch and an initial commit", async () => {
    const { data } = await gh.octokit.repos.get({ owner: gh.owner, repo: gh.repo });
    expect(data.full_name).toBe("platform/platform-gitops");
    expect(data.default_branch).toBe("main");
    expect(await gh.git("ls-tree", "-r", "--name-only", "main")).toBe("README.md\ntenants/.gitkeep");
  });

  it("creates a branch, blobs, a tree with three files, a commit, and moves the branch", async () => {
    const { octokit, owner, repo } = gh;
    mainBefore = (await octokit.git.getRef({ owner, repo, ref: "heads/main" })).data.object.sha;
    const created = await octokit.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: mainBefore });
    expect(created.status).toBe(201);
    expect(created.data.ref).toBe(`refs/heads/${branch}`);

    const dup = await failure(octokit.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: mainBefore }));
    expect(dup.status).toBe(422);
    expect(dup.message).toContain("Reference already exists");

    const blob = await octokit.git.createBlob({ owner, repo, content: Buffer.from(VALUES).toString("base64"), encoding: "base64" });
    expect(blob.status).toBe(201);
    const readBack = await octokit.git.getBlob({ owner, repo, file_sha: blob.data.sha });
    expect(Buffer.from(readBack.data.content, "base64").toString("utf8")).toBe(VALUES);

    const baseTree = (await octokit.git.getCommit({ owner, repo, commit_sha: mainBefore })).data.tree.sha;
    const tree = await octokit.git.createTree({
      owner,
      repo,
      base_tree: baseTree,
      tree: [
        { path: "tenants/acme/namespace.yaml", mode: "100644", type: "blob", content: NAMESPACE },
        { path: "tenants/acme/values.yaml", mode: "100644", type: "blob", sha: blob.data.sha },
        { path: "tenants/acme/kustomization.yaml", mode: "100644", type: "blob", content: KUSTOMIZATION },
      ],
    });
    expect(tree.status).toBe(201);
    const commit = await octokit.git.createCommit({ owner, repo, message: "Onboard tenant acme", tree: tree.data.sha, parents: [mainBefore] });
    expect(commit.data.parents.map((p) => p.sha)).toEqual([mainBefore]);
    expect(commit.data.author.name).toBe("inference-portal[bot]");
    headSha = commit.data.sha;

    const updated = await octokit.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: headSha });
    expect(updated.data.object.sha).toBe(headSha);
    expect(await gh.git("rev-parse", `refs/heads/${branch}`)).toBe(headSha);

    const recursive = await octokit.git.getTree({ owner, repo, tree_sha: tree.data.sha, recursive: "1" });
    expect(recursive.data.tree.filter((e) => e.type === "blob").map((e) => e.path)).toEqual([
      "README.md",
      "tenants/.gitkeep",
      "tenants/acme/kustomization.yaml",
      "tenants/acme/namespace.yaml",
      "tenants/acme/values.yaml",
    ]);
  });

  it("refuses a non-fast-forward ref update unless forced", async () => {
    const { octokit, owner, repo } = gh;
    const err = await failure(octokit.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: mainBefore }));
    expect(err.status).toBe(422);
    expect(err.message).toContain("Update is not a fast forward");
  });

  it("opens a pull request and refuses a duplicate for the same head", async () => {
    const { octokit, owner, repo } = gh;
    const pr = await octokit.pulls.create({ owner, repo, title: "Onboard tenant acme", head: `${owner}:${branch}`, base: "main", body: "Requested in the portal" });
    expect(pr.status).toBe(201);
    expect(pr.data).toMatchObject({
      state: "open",
      merged: false,
      merged_at: null,
      merge_commit_sha: null,
      title: "Onboard tenant acme",
      body: "Requested in the portal",
      user: { login: "inference-portal[bot]", type: "Bot" },
      head: { ref: branch, sha: headSha },
      base: { ref: "main", sha: mainBefore },
      mergeable: true,
      mergeable_state: "clean",
      changed_files: 3,
      commits: 1,
    });
    expect(pr.data.html_url).toMatch(new RegExp(`/platform/platform-gitops/pull/${pr.data.number}$`));
    prNumber = pr.data.number;

    const dup = await failure(octokit.pulls.create({ owner, repo, title: "again", head: `${owner}:${branch}`, base: "main" }));
    expect(dup.status).toBe(422);
    expect(dup.message).toContain(`A pull request already exists for platform:${branch}.`);

    const listed = await octokit.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: "open" });
    expect(listed.data.map((p) => p.number)).toEqual([prNumber]);
    expect((await octokit.pulls.list({ owner, repo, head: `${owner}:other`, state: "all" })).data).toEqual([]);
  });

  it("lists the PR's files with status, counts and patch computed by git", async () => {
    const { data } = await gh.octokit.pulls.listFiles({ owner: gh.owner, repo: gh.repo, pull_number: prNumber });
    expect(data.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([
      ["tenants/acme/kustomization.yaml", "added", 2, 0],
      ["tenants/acme/namespace.yaml", "added", 4, 0],
      ["tenants/acme/values.yaml", "added", 3, 0],
    ]);
    expect(data[1]!.patch).toBe("@@ -0,0 +1,4 @@\n+apiVersion: v1\n+kind: Namespace\n+metadata:\n+  name: tenant-acme");
  });

  it("records an approving review by the bot", async () => {
    const { octokit, owner, repo } = gh;
    const review = await octokit.pulls.createReview({ owner, repo, pull_number: prNumber, event: "APPROVE", body: "Approved in the portal" });
    expect(review.data).toMatchObject({ state: "APPROVED", commit_id: headSha, user: { login: "inference-portal[bot]" } });
    const reviews = await octokit.pulls.listReviews({ owner, repo, pull_number: prNumber });
    expect(reviews.data.map((r) => r.state)).toEqual(["APPROVED"]);
  });

  it("records issue comments on the pull request", async () => {
    const { octokit, owner, repo } = gh;
    const c = await octokit.issues.createComment({ owner, repo, issue_number: prNumber, body: "Waiting for sync" });
    expect(c.status).toBe(201);
    expect((await octokit.issues.listComments({ owner, repo, issue_number: prNumber })).data.map((x) => x.body)).toEqual(["Waiting for sync"]);
    expect((await octokit.pulls.get({ owner, repo, pull_number: prNumber })).data.comments).toBe(1);
  });

  it("refuses a merge whose expected head sha is stale (409)", async () => {
    const err = await failure(gh.octokit.pulls.merge({ owner: gh.owner, repo: gh.repo, pull_number: prNumber, merge_method: "squash", sha: mainBefore }));
    expect(err.status).toBe(409);
    expect(err.message).toContain("Head branch was modified. Review and try the merge again.");
  });

  it("refuses a blocked merge with the configured reason (405) and reports mergeable_state blocked", async () => {
    const { octokit, owner, repo, control } = gh;
    const reason = 'Required status check "kustomize-build" is expected.';
    control.blockMerge(prNumber, reason);
    expect((await octokit.pulls.get({ owner, repo, pull_number: prNumber })).data.mergeable_state).toBe("blocked");
    const err = await failure(octokit.pulls.merge({ owner, repo, pull_number: prNumber, merge_method: "squash", sha: headSha }));
    expect(err.status).toBe(405);
    expect(err.message).toContain(reason);
    control.unblockMerge(prNumber);
    expect((await octokit.pulls.get({ owner, repo, pull_number: prNumber })).data.mergeable_state).toBe("clean");
  });

  it("squash-merges with the right sha into one new commit on main holding the exact bytes", async () => {
    const { octokit, owner, repo } = gh;
    const merged = await octokit.pulls.merge({ owner, repo, pull_number: prNumber, merge_method: "squash", sha: headSha });
    expect(merged.data.merged).toBe(true);
    mergeSha = merged.data.sha;

    expect(await gh.git("rev-parse", "main")).toBe(mergeSha);
    expect(await gh.git("log", "--format=%P", "-1", mergeSha)).toBe(mainBefore);
    expect(await gh.git("log", "--format=%s", "-1", mergeSha)).toBe(`Onboard tenant acme (#${prNumber})`);
    expect(await gh.gitBytes("show", `${mergeSha}:tenants/acme/values.yaml`)).toEqual(Buffer.from(VALUES));
    expect(await gh.gitBytes("show", `${mergeSha}:tenants/acme/namespace.yaml`)).toEqual(Buffer.from(NAMESPACE));
    expect(await gh.gitBytes("show", `${mergeSha}:tenants/acme/kustomization.yaml`)).toEqual(Buffer.from(KUSTOMIZATION));
    expect(await gh.git("fsck", "--no-progress")).toBe("");

    const pr = await octokit.pulls.get({ owner, repo, pull_number: prNumber });
    expect(pr.data).toMatchObject({ state: "closed", merged: true, merge_commit_sha: mergeSha, head: { sha: headSha }, base: { sha: mainBefore } });
    expect(pr.data.merged_at).toEqual(expect.any(String));
    expect((await octokit.pulls.checkIfMerged({ owner, repo, pull_number: prNumber })).status).toBe(204);
    // The files of a merged PR stay what they were.
    expect((await octokit.pulls.listFiles({ owner, repo, pull_number: prNumber })).data).toHaveLength(3);
  });

  it("refuses to merge an already merged pull request (405)", async () => {
    const err = await failure(gh.octokit.pulls.merge({ owner: gh.owner, repo: gh.repo, pull_number: prNumber, merge_method: "squash" }));
    expect(err.status).toBe(405);
    expect(err.message).toContain("Pull Request is not mergeable");
  });

  it("serves file and directory contents at a ref", async () => {
    const { octokit, owner, repo } = gh;
    const file = await octokit.repos.getContent({ owner, repo, path: "tenants/acme/values.yaml", ref: mergeSha });
    if (Array.isArray(file.data) || file.data.type !== "file") throw new Error("expected a file");
    expect(Buffer.from(file.data.content, "base64").toString("utf8")).toBe(VALUES);
    expect(file.data.sha).toBe(await gh.git("rev-parse", `${mergeSha}:tenants/acme/values.yaml`));

    const dir = await octokit.repos.getContent({ owner, repo, path: "tenants/acme" });
    if (!Array.isArray(dir.data)) throw new Error("expected a directory");
    expect(dir.data.map((e) => [e.name, e.type])).toEqual([
      ["kustomization.yaml", "file"],
      ["namespace.yaml", "file"],
      ["values.yaml", "file"],
    ]);
    const root = await octokit.repos.getContent({ owner, repo, path: "" });
    expect(Array.isArray(root.data) && root.data.map((e) => e.path)).toEqual(["README.md", "tenants"]);

    const old = await failure(octokit.repos.getContent({ owner, repo, path: "tenants/acme/values.yaml", ref: mainBefore }));
    expect(old.status).toBe(404);
  });

  it("compares revisions: identical, ahead, behind, diverged", async () => {
    const { octokit, owner, repo } = gh;
    const cmp = async (basehead: string) => (await octokit.repos.compareCommitsWithBasehead({ owner, repo, basehead })).data;
    expect(await cmp(`${mergeSha}...main`)).toMatchObject({ status: "identical", ahead_by: 0, behind_by: 0 });
    // A revision "contains" the merge when comparing merge...revision is identical or ahead.
    expect(await cmp(`${mainBefore}...main`)).toMatchObject({ status: "ahead", ahead_by: 1, behind_by: 0, total_commits: 1 });
    expect(await cmp(`main...${mainBefore}`)).toMatchObject({ status: "behind", ahead_by: 0, behind_by: 1 });

    await commitOnBranch(gh, "side", { "side.txt": "x\n" }, "side", mainBefore);
    const diverged = await cmp(`main...${owner}:side`);
    expect(diverged).toMatchObject({ status: "diverged", ahead_by: 1, behind_by: 1 });
    expect(diverged.merge_base_commit.sha).toBe(mainBefore);
    expect(diverged.files?.map((f) => f.filename)).toEqual(["side.txt"]);

    const commit = await octokit.repos.getCommit({ owner, repo, ref: "main" });
    expect(commit.data.sha).toBe(mergeSha);
    expect(commit.data.files?.map((f) => f.status)).toEqual(["added", "added", "added"]);
  });

  it("squash-merges onto a main that moved with a real three-way merge, and refuses conflicts", async () => {
    const { octokit, owner, repo } = gh;
    // Both branches start before the acme merge; one touches other files, one conflicts with it.
    await commitOnBranch(gh, "tenant/beta", { "tenants/beta/values.yaml": "team: beta\n" }, "Onboard beta", mainBefore);
    await commitOnBranch(gh, "tenant/acme-rival", { "tenants/acme/values.yaml": "team: rival\n" }, "Rival acme", mainBefore);
    const beta = await octokit.pulls.create({ owner, repo, title: "Onboard beta", head: "tenant/beta", base: "main" });
    const rival = await octokit.pulls.create({ owner, repo, title: "Rival", head: "tenant/acme-rival", base: "main" });
    expect(rival.data).toMatchObject({ mergeable: false, mergeable_state: "dirty" });

    const merged = await octokit.pulls.merge({ owner, repo, pull_number: beta.data.number, merge_method: "squash" });
    expect(await gh.git("log", "--format=%P", "-1", merged.data.sha)).toBe(mergeSha);
    expect(await gh.git("ls-tree", "-r", "--name-only", "main", "tenants")).toBe(
      "tenants/.gitkeep\ntenants/acme/kustomization.yaml\ntenants/acme/namespace.yaml\ntenants/acme/values.yaml\ntenants/beta/values.yaml",
    );

    const err = await failure(octokit.pulls.merge({ owner, repo, pull_number: rival.data.number, merge_method: "squash" }));
    expect(err.status).toBe(405);
    expect(await gh.git("rev-parse", "main")).toBe(merged.data.sha);
  });

  it("creates real merge commits with merge_method merge", async () => {
    const { octokit, owner, repo } = gh;
    const head = await commitOnBranch(gh, "tenant/gamma", { "tenants/gamma/values.yaml": "team: gamma\n" });
    const pr = await octokit.pulls.create({ owner, repo, title: "Onboard gamma", head: "tenant/gamma", base: "main" });
    const before = await gh.git("rev-parse", "main");
    const merged = await octokit.pulls.merge({ owner, repo, pull_number: pr.data.number, merge_method: "merge", commit_title: "Merge gamma" });
    expect(await gh.git("log", "--format=%P", "-1", merged.data.sha)).toBe(`${before} ${head}`);
    expect(await gh.git("log", "--format=%s", "-1", merged.data.sha)).toBe("Merge gamma");
  });

  it("closes a pull request without merging, and deletes refs", async () => {
    const { octokit, owner, repo } = gh;
    await commitOnBranch(gh, "tenant/delta", { "tenants/delta/values.yaml": "team: delta\n" });
    const pr = await octokit.pulls.create({ owner, repo, title: "Onboard delta", head: "tenant/delta", base: "main" });
    const closed = await octokit.pulls.update({ owner, repo, pull_number: pr.data.number, state: "closed" });
    expect(closed.data).toMatchObject({ state: "closed", merged: false, merged_at: null });
    expect((await failure(octokit.pulls.checkIfMerged({ owner, repo, pull_number: pr.data.number }))).status).toBe(404);
    expect((await failure(octokit.pulls.merge({ owner, repo, pull_number: pr.data.number }))).status).toBe(405);

    expect((await octokit.git.deleteRef({ owner, repo, ref: "heads/tenant/delta" })).status).toBe(204);
    expect((await failure(octokit.git.getRef({ owner, repo, ref: "heads/tenant/delta" }))).status).toBe(404);
    expect((await failure(octokit.git.deleteRef({ owner, repo, ref: "heads/tenant/delta" }))).status).toBe(422);
  });

  it("deletes files with sha: null in a tree", async () => {
    const { octokit, owner, repo } = gh;
    await commitOnBranch(gh, "tenant/offboard-beta", { "tenants/beta/values.yaml": null });
    expect(await gh.git("ls-tree", "-r", "--name-only", "tenant/offboard-beta", "tenants/beta")).toBe("");
    const pr = await octokit.pulls.create({ owner, repo, title: "Offboard beta", head: "tenant/offboard-beta", base: "main" });
    const files = await octokit.pulls.listFiles({ owner, repo, pull_number: pr.data.number });
    expect(files.data.map((f) => [f.filename, f.status, f.deletions])).toEqual([["tenants/beta/values.yaml", "removed", 1]]);
  });

  it("answers unknown repositories and pull requests with 404", async () => {
    const { octokit, owner, repo } = gh;
    expect((await failure(octokit.repos.get({ owner, repo: "other" }))).status).toBe(404);
    expect((await failure(octokit.pulls.get({ owner, repo, pull_number: 999 }))).status).toBe(404);
  });

  it("also serves the API under /api/v3, with URLs that keep the prefix", async () => {
    const ghes = new Octokit({ baseUrl: `${gh.baseUrl}/api/v3`, auth: gh.control.token, log: QUIET });
    const { data } = await ghes.pulls.get({ owner: gh.owner, repo: gh.repo, pull_number: prNumber });
    expect(data.url).toBe(`${gh.baseUrl}/api/v3/repos/platform/platform-gitops/pulls/${prNumber}`);
  });

  it("keeps pull requests across a restart on the same data directory", async () => {
    const again = await startTestGitHub({ dataDir: gh.control.dataDir });
    try {
      const { data } = await again.octokit.pulls.get({ owner: gh.owner, repo: gh.repo, pull_number: prNumber });
      expect(data).toMatchObject({ merged: true, merge_commit_sha: mergeSha });
    } finally {
      await again.close();
    }
  });
});
