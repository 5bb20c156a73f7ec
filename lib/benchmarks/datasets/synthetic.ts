import { seededRandom } from "../rng";

/**
 * A shipped synthetic workload: prompt and output lengths drawn from log-normal distributions
 * shaped like chat traffic (median prompt ~240 words, median reply ~180 tokens, long tails),
 * generated from a fixed seed so every machine has the same dataset without downloads.
 * Prompt text is word-based; the token counts we report always come from the server's usage.
 */
export const DATASETS = ["synthetic-chat"] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface WorkloadItem {
  prompt: string;
  promptWords: number;
  maxTokens: number;
}

const WORDS = ["explain", "the", "latency", "budget", "of", "our", "inference", "platform", "for", "a", "new", "tenant",
  "with", "streaming", "chat", "and", "batch", "jobs", "please", "compare", "options", "briefly"];
const SIZE = 1000;
const SEED = 20260601;

function logNormal(random: () => number, median: number, sigma: number): number {
  const u = Math.max(random(), 1e-12);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return median * Math.exp(sigma * z);
}

/** Words for a prompt; the leading marker makes prompts distinct (no accidental prefix-cache hits). */
export function promptText(words: number, marker: number): string {
  const out = [`req${marker}`];
  for (let i = 1; i < words; i++) out.push(WORDS[(i * 7 + marker) % WORDS.length]!);
  return out.join(" ");
}

let cache: readonly WorkloadItem[] | undefined;

export function syntheticChat(): readonly WorkloadItem[] {
  cache ??= (() => {
    const random = seededRandom(SEED);
    return Array.from({ length: SIZE }, (_, i) => {
      const promptWords = Math.min(2000, Math.max(4, Math.round(logNormal(random, 240, 0.8))));
      const maxTokens = Math.min(1024, Math.max(8, Math.round(logNormal(random, 180, 0.7))));
      return { prompt: promptText(promptWords, i), promptWords, maxTokens };
    });
  })();
  return cache;
}
