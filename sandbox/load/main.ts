/**
 * `npm run load -- --tenant acme --model qwen2.5-0.5b-instruct --concurrency 16 [--rate 5]
 *   --duration 5m --prompt-mix short|long|mixed [--team <team_id>] [--litellm-url URL]`
 * Drives streaming chat completions through the sandbox's LiteLLM with a fresh key of the
 * tenant's team (deleted at the end) and prints progress every few seconds.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { SANDBOX_DEFAULTS } from "../config";
import { createLoadKey } from "./litellm-key";
import { PROMPT_MIXES } from "./prompts";
import { startLoad } from "./run-load";
import { formatWindow } from "./stats";
import { parseDuration } from "./duration";

const { values } = parseArgs({
  options: {
    tenant: { type: "string" },
    model: { type: "string" },
    concurrency: { type: "string", default: "8" },
    rate: { type: "string" },
    duration: { type: "string", default: "1m" },
    "prompt-mix": { type: "string", default: "mixed" },
    team: { type: "string" },
    "litellm-url": { type: "string" },
    "master-key": { type: "string" },
    interval: { type: "string", default: "5s" },
    "tenants-file": { type: "string", default: "sandbox/demo-tenants.json" },
  },
});

const args = z
  .object({
    tenant: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a tenant slug"),
    model: z.string().min(1).max(200),
    concurrency: z.coerce.number().int().min(1).max(2000),
    rate: z.coerce.number().positive().max(10_000).optional(),
    duration: z.string().transform((v, ctx) => parseDuration(v) ?? (ctx.addIssue({ code: "custom", message: "like 90s, 5m or 1h" }), z.NEVER)),
    "prompt-mix": z.enum(PROMPT_MIXES),
    team: z.string().min(1).optional(),
    "litellm-url": z.url().default(process.env.SANDBOX_LITELLM_URL ?? `http://localhost:${process.env.SANDBOX_LITELLM_PORT ?? SANDBOX_DEFAULTS.litellmPort}`),
    "master-key": z.string().min(1).default(process.env.SANDBOX_LITELLM_MASTER_KEY ?? SANDBOX_DEFAULTS.litellmMasterKey),
    interval: z.string().transform((v, ctx) => parseDuration(v) ?? (ctx.addIssue({ code: "custom", message: "like 5s" }), z.NEVER)),
    "tenants-file": z.string(),
  })
  .safeParse(values);
if (!args.success) {
  console.error(`Invalid arguments: ${args.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")}`);
  process.exit(2);
}
const a = args.data;

const tenants = z.array(z.looseObject({ slug: z.string(), displayName: z.string() })).safeParse(JSON.parse(readFileSync(a["tenants-file"], "utf8")));
const displayName = tenants.success ? tenants.data.find((t) => t.slug === a.tenant)?.displayName : undefined;
const key = await createLoadKey(a["litellm-url"], a["master-key"], { slug: a.tenant, displayName, teamId: a.team }, [a.model]).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

console.log(`Load: ${a.tenant} (team ${key.teamId}) → ${a.model} via ${a["litellm-url"]}, ${a.concurrency} workers${a.rate ? `, ${a.rate} req/s` : ""}, ${a["prompt-mix"]} prompts, for ${a.duration / 1000}s`);
const run = startLoad({ litellmUrl: a["litellm-url"], apiKey: key.secret, model: a.model, concurrency: a.concurrency, rate: a.rate, promptMix: a["prompt-mix"] });
const started = Date.now();
const progress = setInterval(() => console.log(formatWindow(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s]`, run.stats.takeWindow())), a.interval);

let finishing = false;
async function finish(): Promise<void> {
  if (finishing) return;
  finishing = true;
  clearInterval(progress);
  const total = await run.stop();
  await key.delete();
  console.log(formatWindow("total:", total));
  process.exit(total.ok === 0 ? 1 : 0);
}
setTimeout(() => void finish(), a.duration);
process.on("SIGINT", () => void finish());
process.on("SIGTERM", () => void finish());
