import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { ApplicationController } from "./application-controller";
import {
  APPLICATION_KIND,
  ARGOCD_NAMESPACE,
  GENERATED_BY_ANNOTATION,
  TENANTS_DIR,
  applicationName,
  templateMetadata,
  tenantApplication,
  type ApplicationTemplate,
} from "./application";
import { branchHead, exportTree, listFiles, readBlobs, type TreeFile } from "./git";
import type { HealthCheck } from "./health";
import { renderManifests } from "./manifests";
import { isDns1123Label } from "./object-meta";
import type { SchemaCatalog } from "./schemas";
import type { ClusterStore } from "./store";
import type { KubeObject } from "./validate";

/**
 * The Argo CD stand-in's outer loop: polls the platform repo's branch, runs the tenants
 * ApplicationSet (one Application per `tenants/<slug>/`), renders each app's manifests and
 * hands them to the ApplicationController, which syncs and writes status.
 */

export interface ReconcilerOptions {
  store: ClusterStore;
  catalog: SchemaCatalog;
  /** The bare platform repository; until it (or its branch) exists, nothing is generated. */
  repoPath?: string;
  branch: string;
  repoURL: string;
  pollMs: number;
  /** How long a sync operation stays Running, so that clients can observe "syncing". */
  syncDelayMs: number;
  health: HealthCheck;
  log: (message: string) => void;
}

export class Reconciler {
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastRevision: string | undefined;
  private readonly apps: ApplicationController;

  constructor(private readonly o: ReconcilerOptions) {
    this.apps = new ApplicationController(o);
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.apps.stop();
    await this.chain;
  }

  /** Runs a full pass now (after any pass in progress) and resolves when its syncs finished. */
  reconcileNow(): Promise<void> {
    return this.enqueue(true);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.enqueue(false).then(
        () => this.schedule(this.o.pollMs),
        (err: unknown) => {
          // After stop() the repo may already be gone (tests delete it); that is not a failure.
          if (!this.stopped) console.error("cluster stand-in: reconcile failed:", err);
          this.schedule(this.o.pollMs);
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  private enqueue(force: boolean): Promise<void> {
    const run = this.chain.then(() => (this.stopped ? undefined : this.pass(force)));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async pass(force: boolean): Promise<void> {
    if (!this.o.repoPath) return;
    const revision = await branchHead(this.o.repoPath, this.o.branch);
    if (!revision || (!force && revision === this.lastRevision)) return;
    const repoPath = this.o.repoPath;

    const bySlug = new Map<string, TreeFile[]>();
    for (const file of await listFiles(repoPath, revision, TENANTS_DIR)) {
      const parts = file.path.split("/");
      if (parts.length < 3) continue; // files directly under tenants/ are not tenant directories
      const slug = parts[1]!;
      if (!isDns1123Label(slug) || applicationName(slug).length > 63) {
        this.o.log(`skipping ${TENANTS_DIR}/${slug}: not a valid tenant name (DNS-1123 label)`);
        continue;
      }
      bySlug.set(slug, [...(bySlug.get(slug) ?? []), file]);
    }
    const appSet = await this.readApplicationSet(repoPath, revision);

    let checkoutDir: Promise<string> | undefined;
    const checkout = () =>
      (checkoutDir ??= mkdtemp(path.join(os.tmpdir(), "sandbox-cluster-")).then(async (dir) => {
        await exportTree(repoPath, revision, dir);
        return dir;
      }));
    try {
      for (const app of this.generatedApplications()) {
        if (!bySlug.has(app.metadata.name.replace(/^tenant-/, ""))) this.apps.delete(app.metadata.name);
      }
      await Promise.all(
        [...bySlug].map(([slug, files]) =>
          this.reconcileApp(slug, files, revision, { repoURL: this.o.repoURL, targetRevision: this.o.branch, ...templateMetadata(appSet, slug) }, checkout),
        ),
      );
      this.lastRevision = revision;
    } finally {
      if (checkoutDir) await rm(await checkoutDir, { recursive: true, force: true });
    }
  }

  private async readApplicationSet(repoPath: string, revision: string): Promise<unknown> {
    const [file] = await listFiles(repoPath, revision, "argocd/applicationset.yaml");
    if (!file) return undefined;
    try {
      return parse((await readBlobs(repoPath, [file.blob])).get(file.blob) ?? "") as unknown;
    } catch {
      return undefined; // a broken ApplicationSet file does not stop the hard-wired generator
    }
  }

  private generatedApplications(): KubeObject[] {
    return this.o.store.list({
      group: APPLICATION_KIND.group,
      kind: APPLICATION_KIND.kind,
      namespace: ARGOCD_NAMESPACE,
      where: (o) => Boolean(o.metadata.annotations?.[GENERATED_BY_ANNOTATION]),
    });
  }

  private async reconcileApp(slug: string, files: TreeFile[], revision: string, template: ApplicationTemplate, checkout: () => Promise<string>): Promise<void> {
    this.o.store.apply(tenantApplication(slug, template), APPLICATION_KIND);
    const rendered = await renderManifests({
      appPath: `${TENANTS_DIR}/${slug}`,
      files,
      readBlobs: (blobs) => readBlobs(this.o.repoPath!, blobs),
      checkout,
    });
    await this.apps.reconcile(slug, revision, template, rendered);
  }
}
