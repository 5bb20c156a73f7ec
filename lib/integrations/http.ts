import { z } from "zod";
import { metrics } from "@/lib/observability/metrics";
import { scrubString } from "@/lib/observability/scrub";

export class IntegrationError extends Error {
  constructor(
    readonly system: string,
    readonly operation: string,
    /** HTTP status from the upstream, or undefined when it never answered. */
    readonly status: number | undefined,
    message: string,
    readonly upstreamType?: string,
  ) {
    super(scrubString(message));
    this.name = "IntegrationError";
  }

  /** True when the upstream may or may not have acted: the caller must reconcile, not assume. */
  get ambiguous(): boolean {
    return this.status === undefined || this.status >= 500;
  }
}

export type CallOptions<T> = {
  system: string;
  operation: string;
  url: string;
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  headers?: Record<string, string>;
  body?: unknown;
  schema: z.ZodType<T>;
  timeoutMs: number;
  /** Only idempotent calls are retried: a retried POST /key/generate could mint two keys. */
  idempotent?: boolean;
  /** Turns an upstream error body into a human message. */
  describeError?: (status: number, body: unknown) => { message: string; type?: string };
};

const RETRY_DELAYS_MS = [100, 400];

export async function callJson<T>(options: CallOptions<T>): Promise<T> {
  const attempts = options.idempotent ? RETRY_DELAYS_MS.length + 1 : 1;
  let lastError: IntegrationError | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt - 1]));
    try {
      return await callOnce(options);
    } catch (error) {
      if (!(error instanceof IntegrationError) || !error.ambiguous) throw error;
      lastError = error;
    }
  }
  throw lastError!;
}

async function callOnce<T>(options: CallOptions<T>): Promise<T> {
  const { system, operation } = options;
  const started = performance.now();
  const observe = (outcome: string, reason?: string) => {
    metrics().integrationDuration.observe({ system, operation, outcome }, (performance.now() - started) / 1000);
    if (reason) metrics().integrationErrors.inc({ system, operation, reason });
  };
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: options.method ?? "GET",
      headers: { accept: "application/json", ...(options.body ? { "content-type": "application/json" } : {}), ...options.headers },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs),
      cache: "no-store",
    });
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    observe("error", timedOut ? "timeout" : "network");
    throw new IntegrationError(system, operation, undefined, timedOut ? `${system} did not answer within ${options.timeoutMs} ms` : `${system} is unreachable`);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // non-JSON bodies (plain-text errors, HTML from a proxy) stay as text
  }
  if (!response.ok) {
    observe("error", `http_${response.status}`);
    const described = options.describeError?.(response.status, body) ?? { message: `${system} answered ${response.status}` };
    throw new IntegrationError(system, operation, response.status, described.message, described.type);
  }
  const parsed = options.schema.safeParse(body);
  if (!parsed.success) {
    observe("error", "bad_response");
    throw new IntegrationError(system, operation, response.status, `${system} returned an unexpected response to ${operation}: ${z.prettifyError(parsed.error)}`);
  }
  observe("ok");
  return parsed.data;
}
