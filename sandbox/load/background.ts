import { createLoadKey, type LoadKey, type TenantRef } from "./litellm-key";
import type { PromptMix } from "./prompts";
import { startLoad, type LoadRun } from "./run-load";

/**
 * The light, always-on traffic of `npm run dev`: per demo deployment a few workers whose count
 * rises and falls in slow waves (offset per deployment), so the dashboards have live curves and
 * queue depth and the autoscaler visibly move. Disable with SANDBOX_LOAD=0.
 */

export interface BackgroundDeployment {
  tenant: TenantRef;
  /** Public model name. */
  model: string;
}

export interface BackgroundLoadOptions {
  litellmUrl: string;
  masterKey: string;
  deployments: BackgroundDeployment[];
  /** Workers at the trough of a wave; default 2. */
  baseConcurrency?: number;
  /** Workers at the crest; default 12. */
  peakConcurrency?: number;
  /** One full wave; default 10 minutes. */
  periodMs?: number;
  promptMix?: PromptMix;
  /** Where status lines go; default console.log. */
  log?: (line: string) => void;
}

export interface BackgroundLoad {
  stop(): Promise<void>;
}

const RETRY_MS = 5_000;
const ADJUST_MS = 5_000;

/** Workers at time `t` of a wave: base at phase 0, peak half a period later. */
export function waveConcurrency(base: number, peak: number, periodMs: number, t: number, phase = 0): number {
  const x = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / periodMs + phase);
  return Math.round(base + (peak - base) * x);
}

export function startBackgroundLoad(options: BackgroundLoadOptions): BackgroundLoad {
  const log = options.log ?? ((line: string) => console.log(line));
  const base = options.baseConcurrency ?? 2;
  const peak = Math.max(base, options.peakConcurrency ?? 12);
  const period = options.periodMs ?? 10 * 60_000;
  const started = Date.now();
  const runs: Array<{ run: LoadRun; key: LoadKey; phase: number }> = [];
  const stopped = new AbortController();
  const timers = new Set<NodeJS.Timeout>();

  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => (timers.delete(t), fn()), ms);
    t.unref();
    timers.add(t);
  };

  // Teams appear once the portal has synced its tenants: keep trying quietly until then.
  const begin = (d: BackgroundDeployment, index: number, attempt: number) => {
    if (stopped.signal.aborted) return;
    createLoadKey(options.litellmUrl, options.masterKey, d.tenant, [d.model]).then(
      (key) => {
        if (stopped.signal.aborted) return void key.delete();
        const phase = (2 * Math.PI * index) / Math.max(options.deployments.length, 1);
        const run = startLoad({ litellmUrl: options.litellmUrl, apiKey: key.secret, model: d.model, concurrency: waveConcurrency(base, peak, period, Date.now() - started, phase), promptMix: options.promptMix ?? "mixed" });
        runs.push({ run, key, phase });
        log(`background load: ${d.tenant.slug}/${d.model} started (team ${key.teamId}, ${base}–${peak} workers)`);
      },
      (err: unknown) => {
        if (attempt === 12) log(`background load: ${d.tenant.slug}/${d.model} still waiting: ${err instanceof Error ? err.message : String(err)}`);
        later(() => begin(d, index, attempt + 1), RETRY_MS);
      },
    );
  };
  options.deployments.forEach((d, i) => begin(d, i, 0));

  const adjust = setInterval(() => {
    const t = Date.now() - started;
    for (const r of runs) r.run.setConcurrency(waveConcurrency(base, peak, period, t, r.phase));
  }, ADJUST_MS);
  adjust.unref();

  return {
    async stop() {
      stopped.abort();
      clearInterval(adjust);
      for (const t of timers) clearTimeout(t);
      await Promise.all(runs.map(async (r) => (await r.run.stop(), await r.key.delete())));
    },
  };
}
