/** Fixed identity of the stand-in's single repository and its users. */
export interface RepoIdentity {
  owner: string;
  repo: string;
  defaultBranch: string;
  botLogin: string;
  botId: number;
  ownerId: number;
  repoId: number;
  appId: number;
}

/**
 * Builds the absolute URLs GitHub puts in every payload. The API base is the
 * one the client used (with `/api/v3` when it came that way) so that Link
 * headers and `url` fields lead back to this server.
 */
export class Links {
  constructor(
    readonly apiBase: string,
    readonly htmlBase: string,
    readonly id: RepoIdentity,
  ) {}

  api(path: string): string {
    return `${this.apiBase}${path}`;
  }

  html(path: string): string {
    return `${this.htmlBase}${path}`;
  }

  /** `/repos/{owner}/{repo}` + path, percent-encoded where GitHub encodes. */
  repoApi(path = ""): string {
    return this.api(`/repos/${this.id.owner}/${this.id.repo}${path}`);
  }

  repoHtml(path = ""): string {
    return this.html(`/${this.id.owner}/${this.id.repo}${path}`);
  }
}

/** Encodes each segment of a repository path but keeps the slashes. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
