/** Where GitHub's error bodies point when no endpoint-specific page applies. */
export const DOCS_ROOT = "https://docs.github.com/rest";

export interface ValidationErrorItem {
  resource?: string;
  field?: string;
  code: string;
  message?: string;
}

/**
 * A failure GitHub reports as `{message, documentation_url, status, errors?}`.
 * Octokit builds its RequestError message from `message` and `errors`, so the
 * exact texts matter to clients that match on them.
 */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: ReadonlyArray<ValidationErrorItem | string>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(documentationUrl: string) {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: documentationUrl,
      status: String(this.status),
    };
  }
}

export const notFound = () => new GitHubError(404, "Not Found");
export const unprocessable = (message: string) => new GitHubError(422, message);
export const validationFailed = (...errors: Array<ValidationErrorItem | string>) => new GitHubError(422, "Validation Failed", errors);
export const badCredentials = () => new GitHubError(401, "Bad credentials");
export const notMergeable = (message = "Pull Request is not mergeable") => new GitHubError(405, message);
