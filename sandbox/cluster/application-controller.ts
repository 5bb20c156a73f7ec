import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { APPLICATION_KIND, ARGOCD_NAMESPACE, applicationName, sourceOf, trackedBy, type ApplicationTemplate } from "./application";
import {
  collectImages,
  newOperation,
  resourceMessage,
  resourceStatus,
  withTransition,
  type ApplicationStatus,
  type ResourceResult,
  type ResourceStatus,
} from "./application-status";
import { worstHealth, type HealthCheck } from "./health";
import type { RenderResult } from "./manifests";
import { findKind, type KindInfo } from "./registry";
import type { SchemaCatalog } from "./schemas";
import { kubeTimestamp, objectKey, type ClusterStore } from "./store";
import { isUpToDate, planSync, type SyncPlan } from "./sync";
import type { KubeObject } from "./validate";

/**
 * Argo CD's application controller for the generated Applications: compares rendered manifests
 * with the last sync, runs automated sync operations (dry-run everything, then apply and prune)
 * and writes `Application.status` as Argo CD does: Running → Succeeded/Failed,
 * Synced/OutOfSync/Unknown, health from the live objects.
 */

export interface ControllerOptions {
  store: ClusterStore;
  catalog: SchemaCatalog;
  /** How long a sync operation stays Running, so that clients can observe "syncing". */
  syncDelayMs: number;
  health: HealthCheck;
  log: (message: string) => void;
}

interface AppState {
  name: string;
  slug: string;
  syncing: boolean;
  outcome?: "Succeeded" | "Failed" | "ComparisonError";
  /** Manifests hash and revision of the last sync attempt (Argo CD does not retry a failed sync of the same revision). */
  attempt?: { hash: string; revision: string };
  historyId: number;
}

const NAMESPACE_KIND = findKind("v1", "Namespace")!;
const DESTINATION_SERVER = "https://kubernetes.default.svc";
const HISTORY_LIMIT = 10;

export class ApplicationController {
  private stopped = false;
  private readonly states = new Map<string, AppState>();
  private readonly healthDirty = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(private readonly o: ControllerOptions) {
    // Simulators write workload status; the Application's health follows it.
    this.unsubscribe = o.store.subscribe((event) => {
      if (event.kind === APPLICATION_KIND) return;
      const owner = trackedBy(event.object);
      if (owner) this.markHealthDirty(owner);
    });
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  /** Compares the app's manifests at `revision` with what was last attempted, and syncs if needed. */
  async reconcile(slug: string, revision: string, template: ApplicationTemplate, rendered: RenderResult): Promise<void> {
    const name = applicationName(slug);
    let state = this.states.get(name);
    if (!state) this.states.set(name, (state = { name, slug, syncing: false, historyId: 0 }));
    const ctx = { state, revision, template, rendered };
    if (!rendered.ok) return this.comparisonError(ctx, rendered.error);
    const hash = createHash("sha256").update(JSON.stringify(rendered.manifests.map((m) => m.object))).digest("hex");
    const attempted = state.attempt?.hash === hash && (state.outcome === "Succeeded" || state.attempt.revision === revision);
    if (attempted && state.outcome !== "ComparisonError") return this.refresh(ctx);
    await this.sync({ ...ctx, rendered }, hash);
  }

  private async sync(ctx: AppContext & { rendered: Extract<RenderResult, { ok: true }> }, hash: string): Promise<void> {
    const { state, revision, rendered } = ctx;
    const startedAt = kubeTimestamp();
    const operation = newOperation(revision, startedAt);
    state.syncing = true;
    try {
      const previous = this.statusOf(state.name);
      this.writeStatus(state.name, {
        ...previous,
        sync: { status: "OutOfSync", revision, comparedTo: this.comparedTo(ctx) },
        health: withTransition(previous.health, { status: "Progressing" }),
        operationState: operation,
        sourceType: rendered.sourceType,
        reconciledAt: startedAt,
        controllerNamespace: ARGOCD_NAMESPACE,
      });
      await new Promise((resolve) => setImmediate(resolve)); // let watchers receive "Running" first
      const plan = planSync(rendered.manifests, {
        appName: state.name,
        destinationNamespace: state.slug,
        store: this.o.store,
        catalog: this.o.catalog,
        implicitNamespaces: [state.slug], // CreateNamespace=true
      });
      // Validation may hold the event loop for a while (first use of a large CRD schema); the
      // Running window starts after it, so clients always get syncDelayMs to observe it.
      await sleep(this.o.syncDelayMs);
      if (this.stopped) return;
      state.attempt = { hash, revision };
      if (plan.errors.length) this.fail(ctx, plan, operation);
      else this.apply(ctx, plan, operation);
    } finally {
      state.syncing = false;
    }
  }

  private apply(ctx: AppContext, plan: SyncPlan, operation: ApplicationStatus["operationState"] & object): void {
    const { state, revision } = ctx;
    const store = this.o.store;
    // CreateNamespace=true: Argo CD creates the destination namespace but does not track it.
    if (!store.get({ kind: NAMESPACE_KIND, name: state.slug })) {
      store.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: state.slug } }, NAMESPACE_KIND);
    }
    const results: ResourceResult[] = [];
    const applied = new Set<string>();
    for (const { kind, object } of plan.objects) {
      const { action } = store.apply(object, kind);
      applied.add(objectKey({ kind, ...object.metadata }));
      results.push(this.result(kind, object, "Synced", resourceMessage(kind, object.metadata.name, action), "Running"));
    }
    for (const { kind, object } of this.owned(state.name).reverse()) {
      if (applied.has(objectKey({ kind, ...object.metadata }))) continue;
      store.delete({ kind, namespace: object.metadata.namespace, name: object.metadata.name });
      results.push(this.result(kind, object, "Pruned", "pruned", "Succeeded"));
    }
    state.outcome = "Succeeded";
    state.historyId++;
    const finishedAt = kubeTimestamp();
    const previous = this.statusOf(state.name);
    const live = this.liveResources(state.name);
    const source = sourceOf(state.slug, ctx.template);
    const deployed: NonNullable<ApplicationStatus["history"]>[number] = {
      id: state.historyId,
      revision,
      deployedAt: finishedAt,
      deployStartedAt: operation.startedAt,
      source,
      initiatedBy: { automated: true },
    };
    this.writeStatus(state.name, {
      ...previous,
      sync: { status: "Synced", revision, comparedTo: this.comparedTo(ctx) },
      health: withTransition(previous.health, worstHealth(live.map((r) => r.health))),
      operationState: {
        ...operation,
        phase: "Succeeded",
        message: "successfully synced (all tasks run)",
        finishedAt,
        syncResult: { resources: results, revision, source },
      },
      conditions: undefined,
      resources: live,
      history: [...(previous.history ?? []), deployed].slice(-HISTORY_LIMIT),
      summary: { images: collectImages(this.owned(state.name).map((o) => o.object)) },
      reconciledAt: finishedAt,
    });
    this.o.log(`${state.name}: synced to ${revision.slice(0, 7)} (${plan.objects.length} resources)`);
  }

  private fail(ctx: AppContext, plan: SyncPlan, operation: ApplicationStatus["operationState"] & object): void {
    const { state, revision } = ctx;
    const first = plan.errors[0]!.message;
    const message = `one or more objects failed to apply, reason: ${first}`;
    const finishedAt = kubeTimestamp();
    const results = plan.errors.flatMap((e) =>
      e.ref
        ? [
            {
              group: e.ref.kind.group,
              version: e.ref.apiVersion.slice(e.ref.apiVersion.lastIndexOf("/") + 1),
              kind: e.ref.kind.kind,
              namespace: e.ref.namespace ?? (e.ref.kind.namespaced ? state.slug : ""),
              name: e.ref.name,
              status: "SyncFailed" as const,
              message: e.message,
              hookPhase: "Failed" as const,
              syncPhase: "Sync" as const,
            },
          ]
        : [],
    );
    state.outcome = "Failed";
    const previous = this.statusOf(state.name);
    this.writeStatus(state.name, {
      ...previous,
      sync: { status: "OutOfSync", revision, comparedTo: this.comparedTo(ctx) },
      // Argo CD would keep the live health here; the stand-in reports Degraded (agreed with the
      // portal) so a failed rollout is visible in health alone too.
      health: withTransition(previous.health, { status: "Degraded", message: first }),
      operationState: {
        ...operation,
        phase: "Failed",
        message,
        finishedAt,
        syncResult: { resources: results, revision, source: sourceOf(state.slug, ctx.template) },
      },
      conditions: [{ type: "SyncError", message: `Failed sync attempt to ${revision}: ${message}`, lastTransitionTime: finishedAt }],
      resources: this.comparedResources(state, plan),
      reconciledAt: finishedAt,
    });
    this.o.log(`${state.name}: sync of ${revision.slice(0, 7)} failed: ${first}`);
  }

  /** Manifests could not be generated: no sync runs; Argo CD reports sync Unknown with a ComparisonError. */
  private comparisonError(ctx: AppContext, error: string): void {
    const { state, revision } = ctx;
    state.outcome = "ComparisonError";
    state.attempt = undefined;
    const now = kubeTimestamp();
    const previous = this.statusOf(state.name);
    const live = this.liveResources(state.name);
    this.writeStatus(state.name, {
      ...previous,
      sync: { status: "Unknown", revision, comparedTo: this.comparedTo(ctx) },
      health: withTransition(previous.health, worstHealth(live.map((r) => r.health))),
      conditions: [
        {
          type: "ComparisonError",
          message: `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = ${error}`,
          lastTransitionTime: now,
        },
      ],
      resources: live,
      sourceType: ctx.rendered.sourceType,
      reconciledAt: now,
      controllerNamespace: ARGOCD_NAMESPACE,
    });
    this.o.log(`${state.name}: cannot generate manifests at ${revision.slice(0, 7)}: ${error}`);
  }

  /** Same manifests as last attempted: only the compared revision and timestamps move. */
  private refresh(ctx: AppContext): void {
    const { state, revision } = ctx;
    const previous = this.statusOf(state.name);
    if (state.outcome !== "Succeeded") {
      this.writeStatus(state.name, { ...previous, reconciledAt: kubeTimestamp() });
      return;
    }
    const live = this.liveResources(state.name);
    this.writeStatus(state.name, {
      ...previous,
      sync: { status: "Synced", revision, comparedTo: this.comparedTo(ctx) },
      health: withTransition(previous.health, worstHealth(live.map((r) => r.health))),
      resources: live,
      reconciledAt: kubeTimestamp(),
    });
  }

  /** Deletes an Application after its resources, as the resources finalizer does. */
  delete(name: string): void {
    // The resources finalizer: Argo CD deletes the app's resources before the Application.
    for (const { kind, object } of this.owned(name).reverse()) {
      this.o.store.delete({ kind, namespace: object.metadata.namespace, name: object.metadata.name });
    }
    this.o.store.delete({ kind: APPLICATION_KIND, namespace: ARGOCD_NAMESPACE, name });
    this.states.delete(name);
    this.o.log(`${name}: deleted (tenant directory removed)`);
  }

  private markHealthDirty(appName: string): void {
    if (this.healthDirty.has(appName)) return;
    this.healthDirty.add(appName);
    setImmediate(() => {
      this.healthDirty.delete(appName);
      const state = this.states.get(appName);
      if (!state || state.syncing || state.outcome !== "Succeeded" || this.stopped) return;
      const previous = this.statusOf(appName);
      const live = this.liveResources(appName);
      this.writeStatus(appName, { ...previous, health: withTransition(previous.health, worstHealth(live.map((r) => r.health))), resources: live });
    });
  }

  private owned(appName: string): Array<{ kind: KindInfo; object: KubeObject }> {
    return this.o.store.entries({ where: (o) => trackedBy(o) === appName });
  }

  private liveResources(appName: string): ResourceStatus[] {
    return this.owned(appName).map(({ kind, object }) => resourceStatus(kind, object, "Synced", this.o.health(object, kind)));
  }

  /** Desired vs live after a failed sync: what is missing, different, or would be pruned. */
  private comparedResources(state: AppState, plan: SyncPlan): ResourceStatus[] {
    const out: ResourceStatus[] = [];
    const seen = new Set<string>();
    for (const { kind, object } of plan.objects) {
      const live = this.o.store.get({ kind, namespace: object.metadata.namespace, name: object.metadata.name });
      seen.add(objectKey({ kind, ...object.metadata }));
      out.push(resourceStatus(kind, live ?? object, isUpToDate(live, object) ? "Synced" : "OutOfSync", live ? this.o.health(live, kind) : { status: "Missing" }));
    }
    for (const { ref } of plan.errors) {
      if (!ref) continue;
      const namespace = ref.namespace ?? (ref.kind.namespaced ? state.slug : undefined);
      const key = objectKey({ kind: ref.kind, namespace, name: ref.name });
      if (seen.has(key)) continue;
      seen.add(key);
      const live = this.o.store.get({ kind: ref.kind, namespace, name: ref.name });
      const shown = live ?? ({ apiVersion: ref.apiVersion, kind: ref.kind.kind, metadata: { name: ref.name, namespace } } as KubeObject);
      out.push(resourceStatus(ref.kind, shown, "OutOfSync", live ? this.o.health(live, ref.kind) : { status: "Missing" }));
    }
    for (const { kind, object } of this.owned(state.name)) {
      if (seen.has(objectKey({ kind, ...object.metadata }))) continue;
      out.push({ ...resourceStatus(kind, object, "OutOfSync", this.o.health(object, kind)), requiresPruning: true });
    }
    return out;
  }

  private result(kind: KindInfo, object: KubeObject, status: ResourceResult["status"], message: string, hookPhase: ResourceResult["hookPhase"]): ResourceResult {
    return {
      group: kind.group,
      version: object.apiVersion.slice(object.apiVersion.lastIndexOf("/") + 1),
      kind: kind.kind,
      namespace: object.metadata.namespace ?? "",
      name: object.metadata.name,
      status,
      message,
      hookPhase,
      syncPhase: "Sync",
    };
  }

  private comparedTo(ctx: AppContext) {
    return { source: sourceOf(ctx.state.slug, ctx.template), destination: { server: DESTINATION_SERVER, namespace: ctx.state.slug } };
  }

  private statusOf(name: string): ApplicationStatus {
    return (this.o.store.get({ kind: APPLICATION_KIND, namespace: ARGOCD_NAMESPACE, name })?.status ?? {}) as ApplicationStatus;
  }

  private writeStatus(name: string, status: ApplicationStatus): void {
    // JSON round trip: drops undefined fields, as a status written through the API would.
    this.o.store.updateStatus({ kind: APPLICATION_KIND, namespace: ARGOCD_NAMESPACE, name }, JSON.parse(JSON.stringify(status)));
  }
}

interface AppContext {
  state: AppState;
  revision: string;
  template: ApplicationTemplate;
  rendered: RenderResult;
}
