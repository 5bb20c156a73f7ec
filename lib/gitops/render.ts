import { AppError, validationError } from "@/lib/http/errors";
import { resolveRenderContext, type RenderContext, type RenderContextInput } from "./context";
import type { FilePlan, RenderedFile, RepoFiles } from "./file-plan";
import { teamFilePath } from "./litellm-team";
import { gitopsRequest, type GitopsRequest, type GitopsRequestInput } from "./requests";
import { modelDir, modelPlans } from "./render-model";
import { currentTeamSpec, teamPlan, teamSpecFromOnboarding, teamSpecWithLimits, teamSpecWithModels } from "./render-team";
import { APPLICATION_SET_PATH, applicationSetPlan, tenantDir, tenantPlans } from "./render-tenant";
import { renderTemplate, serializeYaml } from "./template-engine";
import { loadTemplate } from "./templates";

export type { RenderedFile, RepoFiles } from "./file-plan";

/**
 * The files a request writes into the platform repo, sorted by path, byte-identical for the
 * same input. `base` is the repo's current content, needed where a request rewrites a file it
 * only partly owns (model access and budget limits rewrite the tenant's team file) and to
 * decide whether the ApplicationSet still has to be bootstrapped. The request is parsed here
 * again: nothing reaches a template without passing the schema.
 */
export function renderRequest(request: GitopsRequestInput | GitopsRequest, contextInput?: RenderContextInput, base?: RepoFiles): RenderedFile[] {
  const parsed = gitopsRequest.safeParse(request);
  if (!parsed.success) throw validationError(parsed.error);
  const context = resolveRenderContext(contextInput);
  return renderPlans(plansFor(parsed.data, context, base));
}

/** Just the ApplicationSet, for a platform bootstrapping the repo before any tenant exists. */
export function renderBootstrap(contextInput?: RenderContextInput): RenderedFile[] {
  return renderPlans([applicationSetPlan(resolveRenderContext(contextInput))]);
}

function plansFor(request: GitopsRequest, context: RenderContext, base: RepoFiles | undefined): FilePlan[] {
  assertNotPlatformNamespace(request.tenant, context);
  switch (request.kind) {
    case "tenant-onboarding":
      return [
        // The first onboarding bootstraps the ApplicationSet; later ones leave it alone.
        ...(base?.[APPLICATION_SET_PATH] === undefined ? [applicationSetPlan(context)] : []),
        ...tenantPlans(request, context),
        teamPlan(teamSpecFromOnboarding(request)),
      ];
    case "model-deployment":
      return modelPlans(request, context);
    case "model-access":
      return [teamPlan(teamSpecWithModels(currentTeamSpec(request.tenant, base), request))];
    case "budget-limits":
      return [teamPlan(teamSpecWithLimits(currentTeamSpec(request.tenant, base), request))];
  }
}

// The schema reserves the usual platform namespaces; the configured ones are only known here.
function assertNotPlatformNamespace(tenant: string, context: RenderContext): void {
  const platform = [context.argocdNamespace, context.gatewayNamespace, context.monitoringNamespace, context.dnsNamespace];
  if (platform.includes(tenant)) {
    throw new AppError("validation", "Some fields are invalid", { tenant: ["This name is reserved for the platform"] });
  }
}

function renderPlans(plans: FilePlan[]): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (const plan of plans) {
    const template = loadTemplate(plan.template);
    const tree = renderTemplate(template, plan.values);
    if (tree === undefined) continue;
    files.push({ path: plan.path, content: serializeYaml(tree, header(plan.template)) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.path === files[i - 1]!.path) throw new Error(`Two templates render ${files[i]!.path}`);
  }
  return files;
}

function header(template: string): string {
  return `Rendered by the Inference Portal from gitops-templates/${template}. Change it through a portal request, not by hand.`;
}

/**
 * What a request owns in the repo: every file below `directories`, the files directly in
 * `shallowDirectories` (onboarding owns the tenant folder's top level, not the model deployments
 * below it), and `files`. An owned file the new render no longer produces is stale and must be
 * deleted in the same pull request: e.g. the InferenceObjective once a priority is removed, or the
 * old workload when a deployment moves from vLLM to llm-d.
 */
export function ownedPaths(request: GitopsRequest): { directories: string[]; shallowDirectories: string[]; files: string[] } {
  switch (request.kind) {
    case "tenant-onboarding":
      return { directories: [], shallowDirectories: [tenantDir(request.tenant)], files: [teamFilePath(request.tenant)] };
    case "model-deployment":
      return { directories: [modelDir(request.tenant, request.name)], shallowDirectories: [], files: [] };
    case "model-access":
    case "budget-limits":
      return { directories: [], shallowDirectories: [], files: [teamFilePath(request.tenant)] };
  }
}

/** Paths in `existing` (the repo) that `request` owns but its new render does not write. */
export function filesToDelete(request: GitopsRequest, rendered: readonly RenderedFile[], existing: Iterable<string>): string[] {
  const written = new Set(rendered.map((f) => f.path));
  const { directories, shallowDirectories, files } = ownedPaths(request);
  const owned = (path: string) =>
    files.includes(path) ||
    directories.some((dir) => path.startsWith(`${dir}/`)) ||
    shallowDirectories.some((dir) => path.startsWith(`${dir}/`) && !path.slice(dir.length + 1).includes("/"));
  return [...existing].filter((path) => !written.has(path) && owned(path)).sort();
}
