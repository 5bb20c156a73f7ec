import { notFound } from "../errors";
import { githubDate } from "../repository";
import type { Route, RouteContext } from "../route-types";
import { userJson } from "../views";

// What the sandbox app may do in the platform repository: enough for GitOps PRs.
const PERMISSIONS = { contents: "write", pull_requests: "write", metadata: "read" } as const;

function installationJson(ctx: RouteContext) {
  const { backend, links } = ctx;
  const { id, settings } = backend;
  const installationId = settings.installationId;
  return {
    id: installationId,
    app_id: id.appId,
    app_slug: id.botLogin.replace(/\[bot\]$/, ""),
    target_id: id.ownerId,
    target_type: "Organization",
    account: userJson(links, id.owner),
    repository_selection: "selected",
    access_tokens_url: links.api(`/app/installations/${installationId}/access_tokens`),
    repositories_url: links.api("/installation/repositories"),
    html_url: links.html(`/organizations/${id.owner}/settings/installations/${installationId}`),
    permissions: PERMISSIONS,
    events: ["pull_request", "pull_request_review", "push"],
    created_at: settings.createdAt,
    updated_at: settings.createdAt,
    single_file_name: null,
    suspended_by: null,
    suspended_at: null,
  };
}

function requireInstallation(ctx: RouteContext): void {
  if (Number(ctx.params.installation_id) !== ctx.backend.settings.installationId) throw notFound();
}

export const appRoutes: Route[] = [
  {
    method: "POST",
    path: "/app/installations/:installation_id/access_tokens",
    auth: "app",
    operation: "POST /app/installations/{installation_id}/access_tokens",
    docs: "apps/apps#create-an-installation-access-token-for-an-app",
    handler(ctx) {
      requireInstallation(ctx);
      const issued = ctx.backend.credentials.issueInstallationToken();
      return {
        status: 201,
        body: {
          token: issued.token,
          expires_at: githubDate(issued.expiresAt),
          permissions: PERMISSIONS,
          repository_selection: "selected",
        },
      };
    },
  },
  {
    method: "GET",
    path: "/app/installations/:installation_id",
    auth: "app",
    operation: "GET /app/installations/{installation_id}",
    docs: "apps/apps#get-an-installation-for-the-authenticated-app",
    handler(ctx) {
      requireInstallation(ctx);
      return { body: installationJson(ctx) };
    },
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/installation",
    auth: "app",
    operation: "GET /repos/{owner}/{repo}/installation",
    docs: "apps/apps#get-a-repository-installation-for-the-authenticated-app",
    handler: (ctx) => ({ body: installationJson(ctx) }),
  },
];
