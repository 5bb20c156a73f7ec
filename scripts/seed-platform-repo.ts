/**
 * Puts tenants that already exist in the portal (BOOTSTRAP_TENANTS_FILE) into the platform repo
 * too — their onboarding manifests and LiteLLM team file, committed straight to the base branch —
 * so that later requests (deployments, budgets) build on them and Argo CD tracks them. Tenants
 * whose folder exists are left alone; running it twice changes nothing.
 *
 * With `withDeployments`, each tenant's `demoDeployments` are rendered too (the real renderer,
 * as a merged request would write them), so `npm run dev` starts with a running fleet for the
 * dashboards. A deployment whose folder exists is left alone.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { githubConfigFromEnv } from "@/lib/integrations/github/config";
import { createOctokit, type GitHubConfig } from "@/lib/integrations/github/octokit";
import { renderRequest, type RepoFiles } from "@/lib/gitops/render";
import { APPLICATION_SET_PATH } from "@/lib/gitops/render-tenant";
import { renderContext } from "@/lib/requests/prepare-change";

const demoTenant = z.looseObject({
  slug: z.string(),
  displayName: z.string(),
  memberGroups: z.array(z.string()),
  adminGroups: z.array(z.string()),
  allowedModels: z.array(z.string()),
  monthlyBudget: z.number(),
  budgetDuration: z.string().optional(),
  rpmLimit: z.number().nullable().optional(),
  tpmLimit: z.number().nullable().optional(),
  costCenter: z.string().nullable().optional(),
  // Checked again by renderRequest's schema; only the shape is read here.
  demoDeployments: z.array(z.looseObject({ name: z.string() })).optional(),
});

export async function seedPlatformRepo(options: { tenantsFile: string; github?: GitHubConfig; withDeployments?: boolean }): Promise<string[]> {
  const config = options.github ?? githubConfigFromEnv();
  const octokit = createOctokit(config);
  const { owner, repo, baseBranch } = config;
  const tenants = z.array(demoTenant).parse(JSON.parse(await readFile(options.tenantsFile, "utf8")));
  const { data: ref } = await octokit.git.getRef({ owner, repo, ref: `heads/${baseBranch}` });
  const { data: tree } = await octokit.git.getTree({ owner, repo, tree_sha: ref.object.sha, recursive: "true" });
  const paths = new Set(tree.tree.map((e) => e.path));
  const base: Record<string, string> = paths.has(APPLICATION_SET_PATH) ? { [APPLICATION_SET_PATH]: "present" } : {};
  const files = new Map<string, string>();
  const seeded: string[] = [];
  for (const t of tenants) {
    if (!options.withDeployments) continue;
    for (const d of t.demoDeployments ?? []) {
      if ([...paths].some((p) => p?.startsWith(`tenants/${t.slug}/models/${d.name}/`))) continue;
      const rendered = renderRequest({ ...d, kind: "model-deployment", tenant: t.slug } as never, renderContext());
      for (const f of rendered) files.set(f.path, f.content);
      seeded.push(`${t.slug}/${d.name}`);
    }
  }
  for (const t of tenants) {
    if (paths.has(`tenants/${t.slug}/namespace.yaml`) || [...paths].some((p) => p?.startsWith(`tenants/${t.slug}/`))) continue;
    const rendered = renderRequest(
      {
        kind: "tenant-onboarding",
        tenant: t.slug,
        displayName: t.displayName,
        costCenter: t.costCenter ?? undefined,
        adminGroups: t.adminGroups,
        memberGroups: t.memberGroups,
        quota: { gpuType: "L4", gpus: 8, cpu: 64, memoryGi: 256 },
        allowedRegistries: [],
        litellm: {
          models: t.allowedModels,
          monthlyBudget: t.monthlyBudget,
          budgetDuration: t.budgetDuration,
          rpmLimit: t.rpmLimit ?? null,
          tpmLimit: t.tpmLimit ?? null,
          softBudgetThresholds: [80, 90, 100],
        },
      } as never,
      renderContext(),
      base as RepoFiles,
    );
    for (const f of rendered) files.set(f.path, f.content);
    base[APPLICATION_SET_PATH] = "present";
    seeded.push(t.slug);
  }
  if (!files.size) return [];
  const { data: baseCommit } = await octokit.git.getCommit({ owner, repo, commit_sha: ref.object.sha });
  const { data: newTree } = await octokit.git.createTree({
    owner,
    repo,
    base_tree: baseCommit.tree.sha,
    tree: [...files].map(([path, content]) => ({ path, mode: "100644" as const, type: "blob" as const, content })),
  });
  const { data: commit } = await octokit.git.createCommit({
    owner,
    repo,
    message: `Seed existing tenants and demo deployments: ${seeded.join(", ")}`,
    tree: newTree.sha,
    parents: [ref.object.sha],
  });
  await octokit.git.updateRef({ owner, repo, ref: `heads/${baseBranch}`, sha: commit.sha });
  return seeded;
}
