import { createHash } from "node:crypto";
import { encodePath, type Links } from "./links";
import type { CommitInfo, GitIdentity } from "./repository";
import type { CommentRecord, PullRecord, ReviewRecord } from "./state";

// JSON in the shapes of GitHub's REST API (checked against its OpenAPI
// description by openapi-contract.test.ts). Only the fields GitHub always
// sends are filled with real data; counters nobody tracks here are 0.

/** GitHub's legacy global node ids: base64 of "<len>:<Type><id>". */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString("base64");
}

function stableId(text: string): number {
  return 100_000_000 + (createHash("sha256").update(text).digest().readUInt32BE(0) % 100_000_000);
}

/** Email GitHub gives a bot account's commits, so commits can be attributed back. */
export function botEmail(links: Links): string {
  return `${links.id.botId}+${links.id.botLogin}@users.noreply.github.com`;
}

export function userJson(links: Links, login: string) {
  const { id } = links;
  const type = login === id.botLogin ? "Bot" : login === id.owner ? "Organization" : "User";
  const numericId = type === "Bot" ? id.botId : type === "Organization" ? id.ownerId : stableId(login);
  const api = links.api(`/users/${encodeURIComponent(login)}`);
  return {
    login,
    id: numericId,
    node_id: nodeId(type, numericId),
    avatar_url: links.html(`/_sandbox/avatars/${encodeURIComponent(login)}`),
    gravatar_id: "",
    url: api,
    // Apps' bot accounts link to the app's page on github.com.
    html_url: type === "Bot" ? links.html(`/apps/${encodeURIComponent(login.replace(/\[bot\]$/, ""))}`) : links.html(`/${encodeURIComponent(login)}`),
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: "public",
    site_admin: false,
  };
}

export interface RepoFacts {
  createdAt: string;
  pushedAt: string;
  openPulls: number;
  deleteBranchOnMerge: boolean;
}

export function repositoryJson(links: Links, facts: RepoFacts) {
  const { id } = links;
  const api = links.repoApi();
  return {
    id: id.repoId,
    node_id: nodeId("Repository", id.repoId),
    name: id.repo,
    full_name: `${id.owner}/${id.repo}`,
    private: true,
    owner: userJson(links, id.owner),
    html_url: links.repoHtml(),
    description: "GitOps platform repository (sandbox stand-in)",
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `${links.repoHtml()}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@sandbox.invalid:${id.owner}/${id.repo}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${links.repoHtml()}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: links.repoHtml(),
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: id.defaultBranch,
    open_issues_count: facts.openPulls,
    open_issues: facts.openPulls,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: "private",
    license: null,
    pushed_at: facts.pushedAt,
    created_at: facts.createdAt,
    updated_at: facts.pushedAt,
    permissions: { admin: false, maintain: true, push: true, triage: true, pull: true },
    // Squash and merge commits are allowed; rebase merging is not (it is refused with 405).
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: false,
    allow_auto_merge: false,
    delete_branch_on_merge: facts.deleteBranchOnMerge,
    allow_update_branch: false,
    use_squash_pr_title_as_default: true,
    squash_merge_commit_title: "PR_TITLE",
    squash_merge_commit_message: "COMMIT_MESSAGES",
    merge_commit_title: "MERGE_MESSAGE",
    merge_commit_message: "PR_TITLE",
    allow_forking: false,
    web_commit_signoff_required: false,
    network_count: 0,
    subscribers_count: 0,
  };
}

export type RepositoryJson = ReturnType<typeof repositoryJson>;

/** What is derived from git for a pull request at the time it is shown. */
export interface PullFacts {
  headSha: string;
  baseSha: string;
  mergeable: boolean | null;
  mergeableState: string;
  additions: number;
  deletions: number;
  changedFiles: number;
  commits: number;
  comments: number;
  repository: RepositoryJson;
}

export function pullJson(links: Links, pr: PullRecord, facts: PullFacts) {
  const api = links.repoApi(`/pulls/${pr.number}`);
  const issueApi = links.repoApi(`/issues/${pr.number}`);
  const html = links.repoHtml(`/pull/${pr.number}`);
  const statuses = links.repoApi(`/statuses/${facts.headSha}`);
  const owner = links.id.owner;
  return {
    url: api,
    id: pr.id,
    node_id: nodeId("PullRequest", pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueApi,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: links.repoApi("/pulls/comments{/number}"),
    comments_url: `${issueApi}/comments`,
    statuses_url: statuses,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userJson(links, pr.user),
    body: pr.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${owner}:${pr.headRef}`,
      ref: pr.headRef,
      sha: facts.headSha,
      user: userJson(links, owner),
      repo: facts.repository,
    },
    base: {
      label: `${owner}:${pr.baseRef}`,
      ref: pr.baseRef,
      sha: facts.baseSha,
      user: userJson(links, owner),
      repo: facts.repository,
    },
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: issueApi },
      comments: { href: `${issueApi}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: links.repoApi("/pulls/comments{/number}") },
      commits: { href: `${api}/commits` },
      statuses: { href: statuses },
    },
    author_association: "NONE",
    auto_merge: null,
    draft: pr.draft,
    merged: pr.merged,
    mergeable: facts.mergeable,
    rebaseable: false,
    mergeable_state: facts.mergeableState,
    merged_by: pr.mergedBy ? userJson(links, pr.mergedBy) : null,
    comments: facts.comments,
    review_comments: 0,
    maintainer_can_modify: pr.maintainerCanModify,
    commits: facts.commits,
    additions: facts.additions,
    deletions: facts.deletions,
    changed_files: facts.changedFiles,
  };
}

/** The list endpoint's "pull-request-simple": the full object minus counters and merge state. */
export function pullSimpleJson(full: ReturnType<typeof pullJson>) {
  const {
    merged: _merged,
    mergeable: _mergeable,
    rebaseable: _rebaseable,
    mergeable_state: _state,
    merged_by: _by,
    comments: _comments,
    review_comments: _reviewComments,
    maintainer_can_modify: _modify,
    commits: _commits,
    additions: _additions,
    deletions: _deletions,
    changed_files: _changed,
    ...simple
  } = full;
  return simple;
}

export function reviewJson(links: Links, review: ReviewRecord) {
  const html = links.repoHtml(`/pull/${review.pullNumber}#pullrequestreview-${review.id}`);
  const pullApi = links.repoApi(`/pulls/${review.pullNumber}`);
  return {
    id: review.id,
    node_id: nodeId("PullRequestReview", review.id),
    user: userJson(links, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullApi,
    _links: { html: { href: html }, pull_request: { href: pullApi } },
    // Pending reviews have no submission time; GitHub omits the field then.
    ...(review.submittedAt ? { submitted_at: review.submittedAt } : {}),
    commit_id: review.commitId,
    author_association: "NONE",
  };
}

export function commentJson(links: Links, comment: CommentRecord) {
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: links.repoApi(`/issues/comments/${comment.id}`),
    html_url: links.repoHtml(`/pull/${comment.issueNumber}#issuecomment-${comment.id}`),
    issue_url: links.repoApi(`/issues/${comment.issueNumber}`),
    body: comment.body,
    user: userJson(links, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: "NONE",
    performed_via_github_app: null,
  };
}

export function gitRefJson(links: Links, ref: string, sha: string, type: string) {
  return {
    ref,
    node_id: nodeId("Ref", `${links.id.repoId}:${ref}`),
    url: links.repoApi(`/git/${encodePath(ref)}`),
    object: { sha, type, url: links.repoApi(`/git/${type}s/${sha}`) },
  };
}

const UNSIGNED = { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };

/** "git-commit": the Git Database API's view of a commit. */
export function gitCommitJson(links: Links, c: CommitInfo) {
  return {
    sha: c.sha,
    node_id: nodeId("Commit", c.sha),
    url: links.repoApi(`/git/commits/${c.sha}`),
    html_url: links.repoHtml(`/commit/${c.sha}`),
    author: c.author,
    committer: c.committer,
    tree: { sha: c.tree, url: links.repoApi(`/git/trees/${c.tree}`) },
    message: c.message,
    parents: c.parents.map((sha) => ({ sha, url: links.repoApi(`/git/commits/${sha}`), html_url: links.repoHtml(`/commit/${sha}`) })),
    verification: UNSIGNED,
  };
}

export interface FileChange {
  filename: string;
  status: "added" | "removed" | "modified";
  /** Blob SHA after the change (before it, for removals). */
  sha: string;
  additions: number;
  deletions: number;
  /** Unified diff hunks; absent for binary files, as on GitHub. */
  patch?: string;
}

export function diffEntryJson(links: Links, file: FileChange, headSha: string) {
  const path = encodePath(file.filename);
  return {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: links.repoHtml(`/blob/${headSha}/${path}`),
    raw_url: links.repoHtml(`/raw/${headSha}/${path}`),
    contents_url: links.repoApi(`/contents/${path}?ref=${headSha}`),
    ...(file.patch !== undefined ? { patch: file.patch } : {}),
  };
}

/** GitHub links a commit's git author to an account by email; only the bot's is known here. */
function accountFor(links: Links, person: GitIdentity) {
  return person.email === botEmail(links) ? userJson(links, links.id.botLogin) : null;
}

/** "commit": the Commits API's view, with stats and files when computed. */
export function commitJson(links: Links, c: CommitInfo, files?: readonly FileChange[]) {
  const git = gitCommitJson(links, c);
  const additions = files?.reduce((n, f) => n + f.additions, 0) ?? 0;
  const deletions = files?.reduce((n, f) => n + f.deletions, 0) ?? 0;
  return {
    url: links.repoApi(`/commits/${c.sha}`),
    sha: c.sha,
    node_id: git.node_id,
    html_url: git.html_url,
    comments_url: links.repoApi(`/commits/${c.sha}/comments`),
    commit: {
      url: git.url,
      author: c.author,
      committer: c.committer,
      message: c.message,
      tree: git.tree,
      comment_count: 0,
      verification: UNSIGNED,
    },
    author: accountFor(links, c.author),
    committer: accountFor(links, c.committer),
    parents: c.parents.map((sha) => ({ sha, url: links.repoApi(`/commits/${sha}`), html_url: links.repoHtml(`/commit/${sha}`) })),
    ...(files ? { stats: { total: additions + deletions, additions, deletions }, files: files.map((f) => diffEntryJson(links, f, c.sha)) } : {}),
  };
}
