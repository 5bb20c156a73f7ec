import { LiteLLMError } from "./errors";

const WINDOW_MS = 60_000;

interface Entry {
  at: number;
  amount: number;
}

export interface Limits {
  rpm: number | null;
  tpm: number | null;
}

export interface RateLimitScope {
  kind: "api_key" | "team";
  id: string;
  limits: Limits;
}

/**
 * Per-minute request and token counters for keys and teams (LiteLLM's
 * rpm_limit / tpm_limit). Sliding window; in memory only, as LiteLLM keeps
 * them in its cache rather than the database.
 */
export class RateLimiter {
  private readonly requests = new Map<string, Entry[]>();
  private readonly tokens = new Map<string, Entry[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Fails with 429 when a limit is reached; otherwise counts the request. */
  admit(scopes: readonly RateLimitScope[]): void {
    const now = this.now();
    for (const { kind, id, limits } of scopes) {
      const key = `${kind}:${id}`;
      this.check(kind, id, "requests", limits.rpm, this.sum(this.requests, key, now), now, this.requests.get(key));
      this.check(kind, id, "tokens", limits.tpm, this.sum(this.tokens, key, now), now, this.tokens.get(key));
    }
    for (const { kind, id } of scopes) this.push(this.requests, `${kind}:${id}`, now, 1);
  }

  addTokens(scopes: readonly RateLimitScope[], amount: number): void {
    const now = this.now();
    for (const { kind, id } of scopes) this.push(this.tokens, `${kind}:${id}`, now, amount);
  }

  private check(
    kind: string,
    id: string,
    limitType: "requests" | "tokens",
    limit: number | null,
    used: number,
    now: number,
    entries: Entry[] | undefined,
  ): void {
    if (limit === null || used < limit) return;
    const resetAt = (entries?.[0]?.at ?? now) + WINDOW_MS;
    const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
    throw new LiteLLMError(
      429,
      "rate_limit_error",
      `Rate limit exceeded for ${kind}: ${id}. Limit type: ${limitType}. Current limit: ${limit}, Remaining: 0. ` +
        `Limit resets at: ${new Date(resetAt).toISOString()}`,
      null,
      { "retry-after": String(retryAfter) },
    );
  }

  private sum(map: Map<string, Entry[]>, key: string, now: number): number {
    const entries = map.get(key);
    if (!entries) return 0;
    while (entries.length && entries[0]!.at <= now - WINDOW_MS) entries.shift();
    return entries.reduce((total, e) => total + e.amount, 0);
  }

  private push(map: Map<string, Entry[]>, key: string, at: number, amount: number): void {
    const entries = map.get(key) ?? [];
    entries.push({ at, amount });
    map.set(key, entries);
  }
}
