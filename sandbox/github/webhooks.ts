import { createHmac, randomUUID } from "node:crypto";

export interface WebhookConfig {
  url: string;
  secret: string;
  /** Event names to receive; all when absent or containing "*". */
  events?: string[];
}

export interface DeliveryAttempt {
  at: string;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

export interface Delivery {
  /** The X-GitHub-Delivery GUID; a redelivery keeps it, like GitHub's "Redeliver". */
  id: string;
  hookId: number;
  url: string;
  event: string;
  action: string | null;
  redelivery: boolean;
  status: "pending" | "delivered" | "failed";
  statusCode: number | null;
  attempts: DeliveryAttempt[];
  /** Exact bytes sent (and signed). */
  body: string;
  payload: unknown;
}

export interface WebhookTiming {
  /** Pause before each retry; attempts = 1 + length. */
  retryDelaysMs: readonly number[];
  timeoutMs: number;
}

interface Hook extends WebhookConfig {
  id: number;
}

export function signatureFor(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Asynchronous, signed webhook deliveries with retries. Emitting never blocks
 * or fails the API request that caused the event, as on GitHub.
 */
export class WebhookDispatcher {
  readonly deliveries: Delivery[] = [];
  private readonly hooks: Hook[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private nextHookId = 1;
  private closed = false;

  constructor(
    private readonly timing: WebhookTiming,
    private readonly targetId: number,
  ) {}

  add(config: WebhookConfig): number {
    const id = this.nextHookId++;
    this.hooks.push({ ...config, id });
    return id;
  }

  remove(hookId: number): boolean {
    const index = this.hooks.findIndex((h) => h.id === hookId);
    if (index === -1) return false;
    this.hooks.splice(index, 1);
    return true;
  }

  emit(event: string, payload: Record<string, unknown>): void {
    if (this.closed) return;
    const body = JSON.stringify(payload);
    const action = typeof payload.action === "string" ? payload.action : null;
    for (const hook of this.hooks) {
      if (hook.events && !hook.events.includes("*") && !hook.events.includes(event)) continue;
      const delivery: Delivery = {
        id: randomUUID(),
        hookId: hook.id,
        url: hook.url,
        event,
        action,
        redelivery: false,
        status: "pending",
        statusCode: null,
        attempts: [],
        body,
        payload,
      };
      this.deliveries.push(delivery);
      this.track(this.deliver(hook, delivery, this.timing.retryDelaysMs));
    }
  }

  /** Sends a past delivery again (one attempt), same body and GUID, recorded as a new delivery. */
  redeliver(id: string): Promise<Delivery> {
    const original = this.deliveries.find((d) => d.id === id);
    if (!original) return Promise.reject(new Error(`No webhook delivery ${id}`));
    const hook = this.hooks.find((h) => h.id === original.hookId);
    if (!hook) return Promise.reject(new Error(`Webhook ${original.hookId} was removed`));
    const again: Delivery = { ...original, redelivery: true, status: "pending", statusCode: null, attempts: [] };
    this.deliveries.push(again);
    const done = this.deliver(hook, again, []);
    this.track(done);
    return done.then(() => again);
  }

  /** Resolves once no delivery is pending (including retries). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  close(): void {
    this.closed = true;
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async deliver(hook: Hook, delivery: Delivery, retryDelaysMs: readonly number[]): Promise<void> {
    const headers = {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/sandbox",
      "x-github-event": delivery.event,
      "x-github-delivery": delivery.id,
      "x-github-hook-id": String(hook.id),
      "x-github-hook-installation-target-id": String(this.targetId),
      "x-github-hook-installation-target-type": "repository",
      "x-hub-signature-256": signatureFor(hook.secret, delivery.body),
    };
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      const record: DeliveryAttempt = { at: new Date(started).toISOString(), durationMs: 0 };
      try {
        const res = await fetch(hook.url, { method: "POST", headers, body: delivery.body, signal: AbortSignal.timeout(this.timing.timeoutMs) });
        await res.arrayBuffer().catch(() => undefined);
        record.statusCode = res.status;
      } catch (err) {
        record.error = err instanceof Error ? err.message : String(err);
      }
      record.durationMs = Date.now() - started;
      delivery.attempts.push(record);
      delivery.statusCode = record.statusCode ?? null;
      const ok = record.statusCode !== undefined && record.statusCode >= 200 && record.statusCode < 300;
      if (ok) {
        delivery.status = "delivered";
        return;
      }
      const delay = retryDelaysMs[attempt];
      if (delay === undefined || this.closed) {
        delivery.status = "failed";
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
    }
  }
}
