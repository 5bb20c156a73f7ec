import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderRequest } from "@/lib/gitops/render";
import type { GitopsRequestInput } from "@/lib/gitops/requests";
import { createArgoClient } from "@/lib/integrations/kubernetes/argo";
import { approveRequest } from "@/lib/requests/decide-request";
import { renderContext, type PreparedChange } from "@/lib/requests/prepare-change";
import { reconcileAll, trackArgo } from "@/lib/requests/reconcile";
import { seedPlatformRepo } from "@/scripts/seed-platform-repo";
import { testDatabases, type TestDb } from "../support/databases";
import { eventually, seedPeople, startGitopsSandbox, submittedRequest, type GitopsSandbox, type People } from "../support/gitops";

const deployment = (tenant: string, name: string) =>
  ({
    kind: "model-deployment",
    tenant,
    name,
    model: "qwen2.5-0.5b-instruct",
    servingLayer: "vllm",
    gpuType: "L4",
    gpusPerReplica: 1,
    minReplicas: 0,
    maxReplicas: 2,
    queueDepthTarget: 8,
  }) satisfies GitopsRequestInput;

describe.each(testDatabases())("merged requests followed through Argo CD ($name)", (target) => {
  let t: TestDb;
  let gh: GitopsSandbox;
  let people: People;

  beforeAll(async () => {
    // One sandbox per database: the tenants' Applications are shared state.
    [t, gh] = await Promise.all([target.open(), startGitopsSandbox()]);
    await t.migrate();
    expect(await seedPlatformRepo({ tenantsFile: "sandbox/demo-tenants.json", github: gh.config })).toEqual(["acme", "globex"]);
    await gh.sandbox.cluster.reconcileNow();
    people = await seedPeople(t.db, "acme");
  });
  afterAll(async () => {
    await gh?.close();
    await t?.close();
  });

  const row = (id: string) => t.db.changeRequest.findUniqueOrThrow({ where: { id } });

  /** Tracks the request (re-reading it each time, as the worker does) until it leaves syncing. */
  async function trackUntilSettled(id: string) {
    return eventually(
      async () => {
        await trackArgo(t.db, gh.platform, await row(id));
        const current = await row(id);
        return ["live", "failed"].includes(current.status) ? current : undefined;
      },
      20_000,
      "the request to be live or failed",
      300,
    );
  }

  async function approveAndMerge(change: PreparedChange) {
    const request = await submittedRequest(t.db, gh.repo, people.requester, change);
    const { mergeSha } = await approveRequest(t.db, gh.repo, people.approver, request.id, { headSha: request.headSha, reason: "Capacity checked" });
    expect((await row(request.id)).status).toBe("merged");
    return { request, mergeSha };
  }

  it("the seeded tenants have Applications, Synced and Healthy", async () => {
    for (const name of ["tenant-acme", "tenant-globex"]) {
      expect(await gh.argo.getApplication(name)).toMatchObject({ name, sync: "Synced", health: "Healthy", operationPhase: "Succeeded" });
    }
  });

  it("a valid model deployment goes merged → syncing → live once Argo CD has synced the merge", async () => {
    const request = deployment("acme", "qwen-chat");
    const files = renderRequest(request, renderContext());
    const change: PreparedChange = {
      kind: "model-deployment",
      tenantId: "acme",
      title: "Deploy qwen-chat",
      payload: request,
      files: files.map((f) => ({ path: f.path, content: f.content })),
      summary: { title: "Deploy qwen-chat", summaryRows: [], checklist: [], costDeltaCents: null },
      argoApp: "tenant-acme",
    };
    const before = await gh.argo.getApplication("tenant-acme");
    expect(before).toMatchObject({ sync: "Synced", health: "Healthy" });
    const { request: merged, mergeSha } = await approveAndMerge(change);
    // What was committed is what the renderer produced (openPullRequest renders again against main).
    expect((await gh.repo.listFiles(merged.prNumber)).map((f) => f.filename).sort()).toEqual(files.map((f) => f.path).sort());

    // Argo CD as it was just before the merge: Synced and Healthy, but at a commit that GitHub says
    // does not contain the merge. (Replayed, because the controller polls on its own and may
    // already have synced on a slow machine.) Not live.
    const frozen = { repo: gh.repo, argo: { getApplication: async () => before } };
    await trackArgo(t.db, frozen, await row(merged.id));
    expect(await row(merged.id)).toMatchObject({ status: "syncing", syncedRevision: null });
    expect(await gh.repo.contains(before!.revision!, mergeSha)).toBe(false);

    await gh.sandbox.cluster.reconcileNow();
    const live = await trackUntilSettled(merged.id);
    expect(live).toMatchObject({ status: "live", failureReason: null });
    expect(live.syncedRevision).not.toBeNull();
    expect(await gh.repo.contains(live.syncedRevision!, mergeSha)).toBe(true);

    const transitions = (await t.db.requestEvent.findMany({ where: { requestId: merged.id, toStatus: { not: null } }, orderBy: { at: "asc" } })).map((e) => `${e.fromStatus}→${e.toStatus}`);
    expect(transitions).toEqual(["queued→submitted", "submitted→merged", "merged→syncing", "syncing→live"]);
    // The objects really are in the cluster.
    expect(gh.sandbox.cluster.store.list({ kind: "Deployment", namespace: "acme" }).map((d) => d.metadata.name)).toContain("qwen-chat");

    // Live is terminal for tracking: another pass changes nothing.
    await reconcileAll(t.db, gh.platform);
    expect((await row(merged.id)).status).toBe("live");
  });

  it("live is only reported once the objects are applied (the controller polling on its own)", async () => {
    const request = deployment("acme", "qwen-poll");
    const files = renderRequest(request, renderContext()).map((f) => ({ path: f.path, content: f.content }));
    const { request: merged } = await approveAndMerge({
      kind: "model-deployment",
      tenantId: "acme",
      title: "Deploy qwen-poll",
      payload: request,
      files,
      summary: { title: "Deploy qwen-poll", summaryRows: [], checklist: [], costDeltaCents: null },
      argoApp: "tenant-acme",
    });
    const applied = () => gh.sandbox.cluster.store.list({ kind: "Deployment", namespace: "acme" }).some((d) => d.metadata.name === "qwen-poll");
    const seen = await eventually(
      async () => {
        await trackArgo(t.db, gh.platform, await row(merged.id));
        const current = await row(merged.id);
        // Sampled in the same instant the portal decided: live must never come before the apply.
        return current.status === "live" ? { status: current.status, applied: applied() } : undefined;
      },
      20_000,
      "the request to be live",
      100,
    );
    expect(seen).toEqual({ status: "live", applied: true });
  });

  it("a merge with an invalid object fails with the API server's validation message", async () => {
    const files = renderRequest(deployment("globex", "broken-chat"), renderContext()).map((f) => ({ path: f.path, content: f.content }));
    const main = files.find((f) => f.path === "tenants/globex/models/broken-chat/deployment.yaml")!;
    expect(main.content).toContain("revisionHistoryLimit: 3");
    main.content = main.content.replace("revisionHistoryLimit: 3", 'revisionHistoryLimit: "three"');
    const globexPeople = await seedPeople(t.db, "globex");
    // Committed as given ("rollback" changes are not rendered again), so the broken object reaches main.
    const change: PreparedChange = {
      kind: "rollback",
      tenantId: "globex",
      title: "Broken deployment",
      payload: { rollbackOf: null },
      files,
      summary: { title: "Broken deployment", summaryRows: [], checklist: [], costDeltaCents: null },
      argoApp: "tenant-globex",
    };
    const request = await submittedRequest(t.db, gh.repo, globexPeople.requester, change);
    const { mergeSha } = await approveRequest(t.db, gh.repo, globexPeople.approver, request.id, { headSha: request.headSha, reason: "Let us see" });

    await gh.sandbox.cluster.reconcileNow();
    const failed = await trackUntilSettled(request.id);
    expect(failed.status).toBe("failed");
    expect(failed.failureReason).toBe(
      `Failed sync attempt to ${mergeSha}: one or more objects failed to apply, reason: ` +
        'Deployment.apps "broken-chat" is invalid: spec.revisionHistoryLimit: Invalid value: "string": spec.revisionHistoryLimit in body must be of type integer: "string"',
    );
    const event = await t.db.requestEvent.findFirstOrThrow({ where: { requestId: request.id, toStatus: "failed" } });
    expect(event).toMatchObject({ actorEmail: "system:argocd", message: failed.failureReason });
    // Nothing of the failed sync was applied.
    expect(gh.sandbox.cluster.store.list({ kind: "Deployment", namespace: "globex" }).map((d) => d.metadata.name)).not.toContain("broken-chat");
  });

  it("an Application that does not exist is null, not an error", async () => {
    const argo = createArgoClient({ kubeconfigPath: gh.sandbox.cluster.kubeconfigPath, namespace: "argocd", timeoutMs: 5_000 });
    expect(await argo.getApplication("tenant-missing")).toBeNull();
  });

  it("a request whose Application never appears keeps syncing", async () => {
    const change: PreparedChange = {
      kind: "rollback",
      tenantId: "acme",
      title: "Waits for an app that is not there",
      payload: { rollbackOf: null },
      files: [{ path: "tenants/acme/models/qwen-chat/note.yaml", content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: note\n  namespace: acme\n" }],
      summary: { title: "x", summaryRows: [], checklist: [], costDeltaCents: null },
      argoApp: "tenant-missing",
    };
    const { request } = await approveAndMerge(change);
    await trackArgo(t.db, gh.platform, await row(request.id));
    await trackArgo(t.db, gh.platform, await row(request.id));
    expect(await row(request.id)).toMatchObject({ status: "syncing", failureReason: null });
    const last = await t.db.requestEvent.findFirstOrThrow({ where: { requestId: request.id, toStatus: "syncing" } });
    expect(last.message).toBe("Waiting for Argo CD to create the Application");
  });
});
