import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as k8s from "@kubernetes/client-node";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../start";
import { yamlDocs, namespacedConfigMap } from "./test-manifests";

const run = promisify(execFile);

describe("cluster stand-in inside startSandbox", () => {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-state-"));
  let sandbox: Sandbox | undefined;

  afterAll(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reconciles the GitHub stand-in's repository and writes the kubeconfig under stateDir", async () => {
    sandbox = await startSandbox({ dexPort: 0, litellmPort: 0, vllmPort: 0, githubPort: 0, kubePort: 0, stateDir: dir, tokenDelayMs: 0 });
    const { cluster, github, urls } = sandbox;
    expect(cluster.kubeconfigPath).toBe(join(dir, "kubeconfig"));
    expect(urls.kube).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // A merge to main, as the portal's approved PR would make it.
    const work = join(dir, "work");
    await run("git", ["clone", "--quiet", github.repoPath, work]);
    mkdirSync(join(work, "tenants", "wiring"), { recursive: true });
    writeFileSync(join(work, "tenants", "wiring", "cm.yaml"), yamlDocs(namespacedConfigMap("settings")));
    const git = (...args: string[]) => run("git", ["-c", "user.email=t@example.com", "-c", "user.name=T", "-c", "commit.gpgsign=false", ...args], { cwd: work });
    await git("add", "-A");
    await git("commit", "--quiet", "-m", "tenant wiring");
    await git("push", "--quiet", "origin", "HEAD:main");
    const sha = (await git("rev-parse", "HEAD")).stdout.trim();

    await cluster.reconcileNow();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    const app = (await kc.makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({
      group: "argoproj.io",
      version: "v1alpha1",
      namespace: "argocd",
      plural: "applications",
      name: "tenant-wiring",
    })) as { spec: { source: { repoURL: string } }; status: { sync: { status: string; revision: string } } };
    expect(app.status.sync).toEqual(expect.objectContaining({ status: "Synced", revision: sha }));
    expect(app.spec.source.repoURL).toBe(`${urls.github}/${github.owner}/${github.repo}.git`);
    expect(cluster.store.list({ kind: "ConfigMap", namespace: "wiring" }).map((c) => c.metadata.name)).toEqual(["settings"]);
  });
});
