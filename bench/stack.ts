import { spawn, type ChildProcess } from "node:child_process";
import { E2E } from "../e2e/env";
import { waitFor } from "../scripts/wait-for";

/** Starts e2e/stack.ts (built portal + sandbox + fresh database) and waits until it is ready. */
export async function startStack(): Promise<ChildProcess> {
  const stack = spawn(process.execPath, ["node_modules/.bin/tsx", "e2e/stack.ts"], { stdio: ["ignore", "ignore", "inherit"], env: process.env });
  await waitFor([`${E2E.portalUrl}/api/ready`], 120_000);
  return stack;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summary(name: string, samples: number[], extra = ""): string {
  const s = [...samples].sort((a, b) => a - b);
  return `${name.padEnd(40)} n=${String(s.length).padStart(4)}  p50=${percentile(s, 50).toFixed(1).padStart(7)} ms  p95=${percentile(s, 95).toFixed(1).padStart(7)} ms  max=${s.at(-1)!.toFixed(1).padStart(7)} ms ${extra}`;
}
