import type { Db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { AppError, validationError } from "@/lib/http/errors";
import type { FileChange, PlatformRepo } from "@/lib/integrations/github/platform-repo";
import { describeChange } from "@/lib/gitops/describe-change";
import { teamFilePath } from "@/lib/gitops/litellm-team";
import { filesToDelete, ownedPaths, renderRequest, type RepoFiles } from "@/lib/gitops/render";
import { APPLICATION_SET_PATH } from "@/lib/gitops/render-tenant";
import { gitopsRequest, type GitopsRequest } from "@/lib/gitops/requests";
import type { RenderContextInput } from "@/lib/gitops/context";
import type { ChangeSummary } from "./pr-body";

const SUBMIT_RENDER_DEADLINE_MS = 3_000;

export type PreparedChange = {
  kind: string;
  tenantId: string;
  title: string;
  payload: unknown;
  files: FileChange[];
  summary: ChangeSummary;
  argoApp: string | null;
};

export function renderContext(): RenderContextInput {
  const config = env();
  return { repoUrl: `https://github.com/${config.GITHUB_OWNER}/${config.GITHUB_REPO}.git`, repoRevision: config.GITHUB_BASE_BRANCH, argocdNamespace: config.ARGOCD_NAMESPACE };
}

/** Validates the input against the request schemas (field errors) and the portal's own state. */
export async function parseChange(db: Db, raw: unknown): Promise<GitopsRequest> {
  const parsed = gitopsRequest.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  const request = parsed.data;
  const tenant = await db.tenant.findUnique({ where: { id: request.tenant }, select: { id: true } });
  if (request.kind === "tenant-onboarding" && tenant) {
    throw new AppError("conflict", "Some fields are invalid", { tenant: ["A tenant with this slug already exists"] });
  }
  if (request.kind !== "tenant-onboarding" && !tenant) throw new AppError("not_found", "Not found");
  return request;
}

// Argo CD owns what is under tenants/<slug>; LiteLLM-only changes are applied by the portal.
function argoAppFor(request: GitopsRequest): string | null {
  return request.kind === "tenant-onboarding" || request.kind === "model-deployment" ? `tenant-${request.tenant}` : null;
}

/**
 * Renders a request against the platform repo as it is now: the files it writes, the stale files
 * it owns and must delete, and the description (with cost delta) for the PR and the reviewers.
 */
export async function renderAgainstRepo(db: Db, repo: PlatformRepo, request: GitopsRequest): Promise<Omit<PreparedChange, "payload">> {
  const paths = await repo.listPaths();
  const owned = ownedPaths(request);
  const wanted = new Set([APPLICATION_SET_PATH, teamFilePath(request.tenant), ...owned.files]);
  for (const path of paths) {
    if ([...owned.directories, ...owned.shallowDirectories].some((dir) => path.startsWith(`${dir}/`))) wanted.add(path);
  }
  const base: Record<string, string> = {};
  for (const path of wanted) {
    if (!paths.includes(path)) continue;
    const content = await repo.readFile(path, env().GITHUB_BASE_BRANCH);
    if (content !== null) base[path] = content;
  }
  const context = renderContext();
  const rendered = renderRequest(request, context, base as RepoFiles);
  const stale = filesToDelete(request, rendered, paths);
  const previousRequest = request.kind === "model-deployment" ? await lastDeployment(db, request.tenant, request.name) : undefined;
  const description = describeChange(request, rendered, { files: base, request: previousRequest }, context);
  return {
    kind: request.kind,
    tenantId: request.tenant,
    title: description.title,
    files: [...rendered.map((f) => ({ path: f.path, content: f.content })), ...stale.map((path) => ({ path, content: null }))],
    summary: {
      title: description.title,
      summaryRows: description.summaryRows,
      checklist: description.checklist,
      costDeltaCents: description.costDelta ? description.costDelta.maxMonthCents : null,
    },
    argoApp: argoAppFor(request),
  };
}

async function lastDeployment(db: Db, tenantId: string, name: string): Promise<GitopsRequest | undefined> {
  const rows = await db.changeRequest.findMany({
    where: { tenantId, kind: "model-deployment", status: { in: ["merged", "syncing", "live"] } },
    orderBy: { createdAt: "desc" },
    select: { payload: true },
    take: 50,
  });
  for (const row of rows) {
    const parsed = gitopsRequest.safeParse(row.payload);
    if (parsed.success && parsed.data.kind === "model-deployment" && parsed.data.name === name) return parsed.data;
  }
  return undefined;
}

/**
 * For submission: validated input plus, when GitHub answers, the rendered files and description.
 * When it does not, the request is still accepted; the outbox renders it when GitHub is back.
 */
export async function prepareChange(db: Db, repo: PlatformRepo, raw: unknown): Promise<PreparedChange> {
  const request = await parseChange(db, raw);
  try {
    // Submission must stay fast when GitHub is slow: past the deadline, render later.
    const rendered = await Promise.race([
      renderAgainstRepo(db, repo, request),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("GitHub too slow; rendering later")), SUBMIT_RENDER_DEADLINE_MS).unref()),
    ]);
    return { ...rendered, payload: request };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const title = `${request.kind} for ${request.tenant}`;
    return {
      kind: request.kind,
      tenantId: request.tenant,
      title,
      payload: request,
      files: [],
      summary: { title, summaryRows: [["Status", "Rendering when GitHub is reachable"]], checklist: [], costDeltaCents: null },
      argoApp: argoAppFor(request),
    };
  }
}
