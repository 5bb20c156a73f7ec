import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { sdFileName } from "./config";
import type { ScrapeTarget } from "./scrape-target";

/** One file_sd target group, as Prometheus reads it. */
interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

/** The file_sd groups of one job: one group per target, since each carries its own pod labels. */
export function targetGroups(targets: readonly ScrapeTarget[]): TargetGroup[] {
  return targets.map((t) => ({
    targets: [t.address],
    labels: { ...t.labels, __metrics_path__: t.metricsPath },
  }));
}

let seq = 0;

/**
 * Writes `<job>.json` for every job (empty arrays for jobs without targets, so removed targets
 * disappear). Each file is written to a temp name and renamed: Prometheus watches the directory
 * and must never read a half-written file.
 */
export async function writeTargetFiles(sdDir: string, jobs: readonly string[], targets: readonly ScrapeTarget[]): Promise<void> {
  await mkdir(sdDir, { recursive: true });
  await Promise.all(
    jobs.map(async (job) => {
      const file = path.join(sdDir, sdFileName(job));
      const tmp = `${file}.${process.pid}.${++seq}.tmp`;
      await writeFile(tmp, JSON.stringify(targetGroups(targets.filter((t) => t.job === job)), null, 1));
      await rename(tmp, file);
    }),
  );
}
