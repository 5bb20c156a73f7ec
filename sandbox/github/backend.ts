import type { Credentials } from "./auth";
import { diffFiles } from "./diff";
import type { Faults } from "./faults";
import type { Links, RepoIdentity } from "./links";
import { EMPTY_TREE, ZERO_SHA, githubDate, type GitRepository } from "./repository";
import type { GitHubStore, PullRecord } from "./state";
import { nodeId, pullJson, repositoryJson, userJson, type FileChange, type PullFacts } from "./views";
import type { WebhookDispatcher } from "./webhooks";

const branchOf = (ref: string) => ref.replace(/^refs\/heads\//, "");

/**
 * Everything behind the routes: the bare repository, PR metadata, webhooks and
 * faults, plus the GitHub behaviours that span them (a push to a PR's head
 * branch synchronizes it, deleting the branch closes it).
 */
export class GitHubBackend {
  private queue: Promise<unknown> = Promise.resolve();
  private lastPushAt: string;

  constructor(
    readonly id: RepoIdentity,
    readonly repo: GitRepository,
    readonly store: GitHubStore,
    readonly credentials: Credentials,
    readonly faults: Faults,
    readonly webhooks: WebhookDispatcher,
    readonly settings: { deleteBranchOnMerge: boolean; rejectSelfApproval: boolean; installationId: number; createdAt: string },
  ) {
    this.lastPushAt = settings.createdAt;
  }

  /**
   * Runs mutations one at a time. Ref updates are compare-and-swap in git as
   * well; this keeps PR bookkeeping consistent with them.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  now(): string {
    return githubDate(new Date());
  }

  repositoryJson(links: Links) {
    return repositoryJson(links, {
      createdAt: this.settings.createdAt,
      pushedAt: this.lastPushAt,
      openPulls: this.store.pulls().filter((p) => p.state === "open").length,
      deleteBranchOnMerge: this.settings.deleteBranchOnMerge,
    });
  }

  branchSha(branch: string): Promise<string | undefined> {
    return this.repo.refSha(`refs/heads/${branch}`);
  }

  /** Head/base as GitHub reports them: live while open, frozen once closed. */
  async pullShas(pr: PullRecord): Promise<{ headSha: string; baseSha: string }> {
    if (pr.state === "closed") return { headSha: pr.headSha, baseSha: pr.baseSha };
    return {
      headSha: (await this.branchSha(pr.headRef)) ?? pr.headSha,
      baseSha: (await this.branchSha(pr.baseRef)) ?? pr.baseSha,
    };
  }

  /** The PR's changes: from the merge base to the head, like GitHub's "Files changed". */
  async pullFiles(pr: PullRecord): Promise<FileChange[]> {
    const { headSha, baseSha } = await this.pullShas(pr);
    const base = (await this.repo.mergeBase(baseSha, headSha)) ?? baseSha;
    return diffFiles(this.repo, base, headSha);
  }

  async mergeability(pr: PullRecord): Promise<{ mergeable: boolean | null; state: string; conflicts: string[] }> {
    if (pr.state === "closed") return { mergeable: null, state: "unknown", conflicts: [] };
    const { headSha, baseSha } = await this.pullShas(pr);
    const { conflicts } = await this.repo.mergeTree(baseSha, headSha);
    if (conflicts.length > 0) return { mergeable: false, state: "dirty", conflicts };
    if (this.faults.mergeBlock(pr.number) !== undefined) return { mergeable: true, state: "blocked", conflicts };
    return { mergeable: true, state: pr.draft ? "draft" : "clean", conflicts };
  }

  async pullFacts(links: Links, pr: PullRecord, detailed = true): Promise<PullFacts> {
    const { headSha, baseSha } = await this.pullShas(pr);
    const facts: PullFacts = {
      headSha,
      baseSha,
      mergeable: null,
      mergeableState: "unknown",
      additions: 0,
      deletions: 0,
      changedFiles: 0,
      commits: 0,
      comments: this.store.comments(pr.number).length,
      repository: this.repositoryJson(links),
    };
    if (!detailed) return facts;
    const files = await this.pullFiles(pr);
    const merge = await this.mergeability(pr);
    return {
      ...facts,
      mergeable: merge.mergeable,
      mergeableState: merge.state,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changedFiles: files.length,
      commits: await this.repo.countBetween(baseSha, headSha),
    };
  }

  async pullJson(links: Links, pr: PullRecord) {
    return pullJson(links, pr, await this.pullFacts(links, pr));
  }

  /** Common envelope of webhook payloads. */
  private envelope(links: Links) {
    return {
      repository: this.repositoryJson(links),
      sender: userJson(links, this.id.botLogin),
      installation: { id: this.settings.installationId, node_id: nodeId("Installation", this.settings.installationId) },
    };
  }

  async emitPullRequest(links: Links, action: string, pr: PullRecord, extra: Record<string, unknown> = {}): Promise<void> {
    const pull_request = await this.pullJson(links, pr);
    this.webhooks.emit("pull_request", { action, number: pr.number, ...extra, pull_request, ...this.envelope(links) });
  }

  emitEvent(links: Links, event: string, payload: Record<string, unknown>): void {
    this.webhooks.emit(event, { ...payload, ...this.envelope(links) });
  }

  /**
   * After any branch moved: push event, and the GitHub side effects on PRs
   * whose head it is (synchronize on new commits, closed when deleted).
   */
  async afterRefChange(links: Links, ref: string, before: string, after: string): Promise<void> {
    if (!ref.startsWith("refs/heads/")) return;
    this.lastPushAt = this.now();
    await this.emitPush(links, ref, before, after);
    const branch = branchOf(ref);
    for (const pr of this.store.pulls()) {
      if (pr.state !== "open" || pr.headRef !== branch) continue;
      if (after === ZERO_SHA) {
        const closed = this.store.updatePull(pr.number, { state: "closed", closedAt: this.now(), updatedAt: this.now(), baseSha: (await this.branchSha(pr.baseRef)) ?? pr.baseSha });
        await this.emitPullRequest(links, "closed", closed);
      } else if (after !== pr.headSha) {
        const updated = this.store.updatePull(pr.number, { headSha: after, updatedAt: this.now() });
        await this.emitPullRequest(links, "synchronize", updated, { before, after });
      }
    }
  }

  private async emitPush(links: Links, ref: string, before: string, after: string): Promise<void> {
    const created = before === ZERO_SHA;
    const deleted = after === ZERO_SHA;
    const branch = branchOf(ref);
    let shas: string[] = [];
    if (!deleted) {
      // New branches list only commits no other branch had, as GitHub does.
      const range = created ? [after, "--not", `--exclude=${branch}`, "--branches"] : [after, `^${before}`];
      const { stdout } = await this.repo.run(["rev-list", "--reverse", "--max-count=20", ...range]);
      shas = stdout.toString().split("\n").filter(Boolean);
    }
    const commits = [];
    for (const sha of shas) commits.push(await this.pushCommit(links, sha));
    const headCommit = deleted ? null : shas.includes(after) ? commits[commits.length - 1] : await this.pushCommit(links, after);
    const forced = !created && !deleted && !(await this.repo.isAncestor(before, after));
    this.emitEvent(links, "push", {
      ref,
      before,
      after,
      created,
      deleted,
      forced,
      base_ref: null,
      compare: links.repoHtml(created ? `/commit/${after}` : `/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`),
      commits,
      head_commit: headCommit ?? null,
      pusher: { name: this.id.botLogin, email: null },
    });
  }

  private async pushCommit(links: Links, sha: string) {
    const commit = (await this.repo.readCommit(sha))!;
    const parent = commit.parents[0] ?? EMPTY_TREE;
    const files = await diffFiles(this.repo, parent, sha);
    const pick = (status: FileChange["status"]) => files.filter((f) => f.status === status).map((f) => f.filename);
    return {
      id: sha,
      tree_id: commit.tree,
      distinct: true,
      message: commit.message,
      timestamp: commit.committer.date,
      url: links.repoHtml(`/commit/${sha}`),
      author: { name: commit.author.name, email: commit.author.email },
      committer: { name: commit.committer.name, email: commit.committer.email },
      added: pick("added"),
      removed: pick("removed"),
      modified: pick("modified"),
    };
  }
}
