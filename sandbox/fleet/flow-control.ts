import { type Family, renderFamilies } from "./exposition";
import type { Fleet } from "./types";

/**
 * The endpoint picker's flow-control layer and its metrics: requests for a pool with no ready
 * endpoint wait here (scale-from-zero, model loading) instead of failing. The queue-size gauge
 * is what the ScaledObject's picker trigger reads to wake a pool scaled to zero, labelled as
 * GIE v1.5's EPP labels it; Prometheus adds `namespace` from the per-pool target.
 */

export interface QueueKey {
  namespace: string;
  pool: string;
  fairnessId: string;
  priority: string;
  modelName: string;
  targetModelName: string;
}

const keyString = (k: QueueKey) => JSON.stringify([k.namespace, k.pool, k.fairnessId, k.priority, k.modelName, k.targetModelName]);

// GIE's HelpMsgWithStability prefix.
const ALPHA = "[ALPHA] ";

export class FlowControlQueues {
  private readonly series = new Map<string, { key: QueueKey; size: number; bytes: number }>();

  /** Holds a request until `ready()` yields a value, the deadline passes, or `signal` aborts. */
  async hold<T>(key: QueueKey, bytes: number, fleet: Fleet, ready: () => T | undefined, maxWaitMs: number, signal: AbortSignal): Promise<T | undefined> {
    const first = ready();
    if (first !== undefined) return first;
    const entry = this.entry(key);
    entry.size++;
    entry.bytes += bytes;
    try {
      return await new Promise<T | undefined>((resolve) => {
        const finish = (value: T | undefined) => {
          clearTimeout(timer);
          off();
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        };
        const onAbort = () => finish(undefined);
        const timer = setTimeout(() => finish(undefined), maxWaitMs);
        const off = fleet.onReplicasChanged(() => {
          const value = ready();
          if (value !== undefined) finish(value);
        });
        signal.addEventListener("abort", onAbort, { once: true });
      });
    } finally {
      entry.size--;
      entry.bytes -= bytes;
    }
  }

  size(namespace: string, pool: string): number {
    let n = 0;
    for (const s of this.series.values()) if (s.key.namespace === namespace && s.key.pool === pool) n += s.size;
    return n;
  }

  /** One pool's EPP exposition. */
  render(namespace: string, pool: string, fleet: Fleet): string {
    const size: Family = {
      name: "inference_extension_flow_control_queue_size",
      type: "gauge",
      help: `${ALPHA}Current number of requests actively held in the Flow Control queue.`,
      samples: [],
    };
    const bytes: Family = {
      name: "inference_extension_flow_control_queue_bytes",
      type: "gauge",
      help: `${ALPHA}Current total size in bytes of requests actively held in the Flow Control queue.`,
      samples: [],
    };
    for (const { key, size: n, bytes: b } of this.series.values()) {
      if (key.namespace !== namespace || key.pool !== pool) continue;
      const labels = { fairness_id: key.fairnessId, priority: key.priority, inference_pool: key.pool, model_name: key.modelName, target_model_name: key.targetModelName };
      size.samples.push({ labels, value: n });
      bytes.samples.push({ labels, value: b });
    }
    const workloads = fleet.replicas().filter((w) => w.namespace === namespace && w.pool === pool);
    const loads = workloads.flatMap((w) => w.pods.filter((p) => p.ready && p.url)).map((p) => fleet.loadOf(namespace, p.name)).filter((l) => l !== undefined);
    const avg = (f: (l: (typeof loads)[number]) => number) => (loads.length ? loads.reduce((s, l) => s + f(l), 0) / loads.length : 0);
    const poolGauge = (name: string, help: string, value: number): Family => ({ name, type: "gauge", help: `${ALPHA}${help}`, samples: [{ labels: { name: pool }, value }] });
    return renderFamilies([
      size,
      bytes,
      poolGauge("inference_pool_ready_pods", "The number of ready pods in the inference server pool.", loads.length),
      poolGauge("inference_pool_average_queue_size", "The average number of requests pending in the model server queue.", avg((l) => l.waiting)),
      poolGauge("inference_pool_average_running_requests", "The average number of running requests across model servers in the pool.", avg((l) => l.running)),
      poolGauge("inference_pool_average_kv_cache_utilization", "The average kv cache utilization for an inference server pool.", avg((l) => l.kvCacheUsage)),
    ]);
  }

  private entry(key: QueueKey) {
    const k = keyString(key);
    let e = this.series.get(k);
    if (!e) this.series.set(k, (e = { key, size: 0, bytes: 0 }));
    return e;
  }
}
