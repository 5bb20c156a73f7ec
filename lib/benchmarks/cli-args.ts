import { parseArgs } from "node:util";
import { runnerConfigSchema, type RunnerConfig } from "./config";
import { DATASETS } from "./datasets/synthetic";

/**
 * `npm run bench:serve` arguments → the runner's configuration. Pure, so that every refusal
 * (exit code 2 in the CLI) is a tested message rather than a stack trace halfway into a run.
 */
export const BENCH_SERVE_USAGE = `usage: npm run bench:serve -- --url URL --model NAME (--concurrency 1,2,4 | --rate 1,2,4)
       (--duration 20s | --requests 200) [--warmup 5s|N] [--prompt-tokens 50 --output-tokens 128 | --dataset synthetic-chat]
       [--api-key sk-…] [--endpoint chat|completions] [--slo-ttft-ms 200] [--slo-itl-ms 50] [--seed 1]
       [--max-duration 1h] [--save result.json] [--store [--name NAME] [--tenant ID]]
The API key may also come from BENCH_API_KEY (kept out of shell history and process lists).`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface BenchServeArgs {
  config: RunnerConfig;
  apiKey: string | undefined;
  maxDurationMs: number;
  save: string | null;
  store: { name: string; tenantId: string | null } | null;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** "20s", "500ms", "2m", "1h" → ms; a bare number is refused (seconds or requests would be a guess). */
export function parseDuration(flag: string, value: string): number {
  const match = DURATION.exec(value.trim());
  if (!match) throw new UsageError(`--${flag}: "${value}" is not a duration like 20s, 500ms, 2m`);
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
  if (ms <= 0) throw new UsageError(`--${flag} must be more than 0`);
  return ms;
}

function parseList(flag: string, value: string, integer: boolean): number[] {
  const items = value.split(",").map((s) => s.trim());
  const numbers = items.map(Number);
  const bad = items.find((s, i) => s === "" || !Number.isFinite(numbers[i]!) || numbers[i]! <= 0 || (integer && !Number.isInteger(numbers[i]!)));
  if (bad !== undefined) throw new UsageError(`--${flag}: "${bad}" is not a positive ${integer ? "integer" : "number"} (expected e.g. 1,2,4)`);
  return numbers;
}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--${flag}: "${value}" is not a positive integer`);
  return n;
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag}: "${value}" is not a positive number`);
  return n;
}

const OPTIONS = {
  url: { type: "string" }, "api-key": { type: "string" }, model: { type: "string" },
  concurrency: { type: "string" }, rate: { type: "string" }, duration: { type: "string" }, requests: { type: "string" },
  warmup: { type: "string" }, "prompt-tokens": { type: "string" }, "output-tokens": { type: "string" }, dataset: { type: "string" },
  endpoint: { type: "string" }, "slo-ttft-ms": { type: "string" }, "slo-itl-ms": { type: "string" }, seed: { type: "string" },
  "max-duration": { type: "string" }, save: { type: "string" }, store: { type: "boolean" }, name: { type: "string" }, tenant: { type: "string" },
  help: { type: "boolean" },
} as const;

export function parseBenchServeArgs(argv: readonly string[], envApiKey?: string): BenchServeArgs {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: false }>>["values"];
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) throw new UsageError("");
  if (!values.url) throw new UsageError("--url is required (e.g. http://localhost:4000)");
  if (!values.model) throw new UsageError("--model is required");
  if ((values.concurrency === undefined) === (values.rate === undefined)) throw new UsageError("give exactly one of --concurrency and --rate");
  if ((values.duration === undefined) === (values.requests === undefined)) throw new UsageError("give exactly one of --duration and --requests");
  const fixed = values["prompt-tokens"] !== undefined || values["output-tokens"] !== undefined;
  if (fixed && values.dataset !== undefined) throw new UsageError("--dataset and --prompt-tokens/--output-tokens exclude each other");
  if (values.dataset !== undefined && !(DATASETS as readonly string[]).includes(values.dataset)) throw new UsageError(`--dataset must be one of: ${DATASETS.join(", ")}`);
  if (values.endpoint !== undefined && values.endpoint !== "chat" && values.endpoint !== "completions") throw new UsageError("--endpoint must be chat or completions");
  if (!values.store && (values.name !== undefined || values.tenant !== undefined)) throw new UsageError("--name and --tenant only apply with --store");

  const sweep = values.concurrency !== undefined
    ? { kind: "concurrency" as const, levels: parseList("concurrency", values.concurrency, true) }
    : { kind: "rate" as const, levels: parseList("rate", values.rate!, false) };
  const step = values.duration !== undefined ? { durationMs: parseDuration("duration", values.duration) } : { requests: positiveInt("requests", values.requests)! };
  // "5s" is a warm-up time; a bare integer is a count of warm-up requests.
  const warmup = values.warmup === undefined ? { requests: 0 } : /^\d+$/.test(values.warmup.trim()) ? { requests: Number(values.warmup) } : { durationMs: parseDuration("warmup", values.warmup) };
  const lengths = values.dataset !== undefined
    ? { kind: "dataset" as const, name: values.dataset as (typeof DATASETS)[number] }
    : { kind: "fixed" as const, promptTokens: positiveInt("prompt-tokens", values["prompt-tokens"]) ?? 50, outputTokens: positiveInt("output-tokens", values["output-tokens"]) ?? 128 };
  const sloTtft = positiveNumber("slo-ttft-ms", values["slo-ttft-ms"]);
  const sloItl = positiveNumber("slo-itl-ms", values["slo-itl-ms"]);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new UsageError(`--seed: "${values.seed}" is not an integer`);

  const parsed = runnerConfigSchema.safeParse({
    baseUrl: values.url, model: values.model, api: values.endpoint ?? "chat", sweep, step, warmup, lengths, seed,
    slo: sloTtft !== undefined || sloItl !== undefined ? { ttftMs: sloTtft, itlMs: sloItl } : undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where: Record<string, string> = { baseUrl: "--url", model: "--model", sweep: values.rate !== undefined ? "--rate" : "--concurrency", step: values.duration !== undefined ? "--duration" : "--requests", lengths: "--prompt-tokens/--output-tokens", warmup: "--warmup" };
    throw new UsageError(`${where[String(issue.path[0])] ?? issue.path.join(".")}: ${issue.message}`);
  }
  const apiKey = values["api-key"] ?? (envApiKey || undefined);
  const name = values.name ?? `bench:serve ${values.model}`;
  if (name.trim() === "" || name.length > 200) throw new UsageError("--name must be 1 to 200 characters");
  return {
    config: parsed.data,
    apiKey,
    maxDurationMs: values["max-duration"] === undefined ? 3_600_000 : parseDuration("max-duration", values["max-duration"]),
    save: values.save ?? null,
    store: values.store ? { name, tenantId: values.tenant ?? null } : null,
  };
}
