import { z } from "zod";

export const faultSettingsSchema = z.object({
  mode: z.enum(["ok", "unavailable", "slow"]),
  /** For "slow": added latency per request. */
  delayMs: z.number().int().min(0).max(600_000).optional(),
  /** How many API requests are affected; until reset when absent. */
  count: z.number().int().positive().optional(),
});

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export type FaultDecision = { kind: "ok" } | { kind: "unavailable" } | { kind: "slow"; delayMs: number };

const DEFAULT_SLOW_MS = 2000;

/**
 * Failure modes the portal's tests switch on to see how it copes with GitHub
 * outages, latency, and merges refused by branch protection.
 */
export class Faults {
  private settings: FaultSettings = { mode: "ok" };
  private remaining: number | undefined;
  private blockAll: string | undefined;
  private readonly blocked = new Map<number, string>();

  set(settings: FaultSettings): void {
    this.settings = settings;
    this.remaining = settings.count;
  }

  reset(): void {
    this.set({ mode: "ok" });
  }

  /** Called once per API request; consumes one unit of a counted fault. */
  take(): FaultDecision {
    const { mode, delayMs } = this.settings;
    if (mode === "ok") return { kind: "ok" };
    if (this.remaining !== undefined) {
      this.remaining -= 1;
      if (this.remaining <= 0) this.reset();
    }
    return mode === "unavailable" ? { kind: "unavailable" } : { kind: "slow", delayMs: delayMs ?? DEFAULT_SLOW_MS };
  }

  /** `reason` null lifts the block. Per-PR blocks and the "all" block are independent. */
  blockMerge(target: number | "all", reason: string | null): void {
    if (target === "all") this.blockAll = reason ?? undefined;
    else if (reason === null) this.blocked.delete(target);
    else this.blocked.set(target, reason);
  }

  /** Why merging this PR is refused, if it is. */
  mergeBlock(prNumber: number): string | undefined {
    return this.blocked.get(prNumber) ?? this.blockAll;
  }

  snapshot() {
    return {
      mode: this.settings.mode,
      delayMs: this.settings.delayMs ?? null,
      remaining: this.remaining ?? null,
      blockMerges: this.blockAll ?? null,
      blockedPulls: Object.fromEntries(this.blocked),
    };
  }
}
