import { Counter, Gauge, Registry } from "prom-client";

/**
 * KEDA operator metrics under their real names (KEDA 2.1x docs, "Integrate with Prometheus"),
 * so dashboards and alerts written against the sandbox work against a real operator. Per-trigger
 * series carry KEDA's labels: namespace, metric (`s0-prometheus`), scaledObject and its newer
 * alias scaledResource, scaler, triggerIndex, type.
 */
const TRIGGER_LABELS = ["namespace", "metric", "scaledObject", "scaledResource", "scaler", "triggerIndex", "type"] as const;
type TriggerLabels = Record<(typeof TRIGGER_LABELS)[number], string>;

export class KedaMetrics {
  readonly registry = new Registry();
  private readonly value = new Gauge({ name: "keda_scaler_metrics_value", help: "The current value for each scaler's metric that would be used by the HPA in computing the target average.", labelNames: TRIGGER_LABELS, registers: [this.registry] });
  private readonly active = new Gauge({ name: "keda_scaler_active", help: "Whether the scaler is active (1) or inactive (0).", labelNames: TRIGGER_LABELS, registers: [this.registry] });
  private readonly latency = new Gauge({ name: "keda_scaler_metrics_latency_seconds", help: "The latency of retrieving the current metric from each scaler.", labelNames: TRIGGER_LABELS, registers: [this.registry] });
  private readonly scalerErrors = new Counter({ name: "keda_scaler_detail_errors_total", help: "The number of errors encountered for each scaler.", labelNames: TRIGGER_LABELS, registers: [this.registry] });
  private readonly objectErrors = new Counter({ name: "keda_scaled_object_errors_total", help: "The number of errors that have occurred for each ScaledObject.", labelNames: ["namespace", "scaledObject"], registers: [this.registry] });
  private readonly paused = new Gauge({ name: "keda_scaled_object_paused", help: "Whether a ScaledObject is paused (1) or not (0).", labelNames: ["namespace", "scaledObject"], registers: [this.registry] });
  private readonly resources = new Gauge({ name: "keda_resource_registered_total", help: "Total number of KEDA custom resources per namespace for each custom resource type (CRD) handled by the operator.", labelNames: ["namespace", "type"], registers: [this.registry] });
  private readonly triggers = new Gauge({ name: "keda_trigger_registered_total", help: "Total number of triggers per trigger type handled by the operator.", labelNames: ["type"], registers: [this.registry] });

  constructor() {
    new Gauge({ name: "keda_build_info", help: "Info metric, with static information about KEDA build.", labelNames: ["version", "git_commit", "goversion", "goos", "goarch"], registers: [this.registry] })
      .set({ version: "2.20.2-sandbox", git_commit: "sandbox", goversion: "n/a", goos: "linux", goarch: "amd64" }, 1);
  }

  private labels(namespace: string, name: string, metric: string, index: number): TriggerLabels {
    return { namespace, metric, scaledObject: name, scaledResource: name, scaler: "prometheusScaler", triggerIndex: String(index), type: "scaledobject" };
  }

  recordTrigger(namespace: string, name: string, metric: string, index: number, reading: { value?: number; active: boolean; latencySeconds: number; error?: boolean }): void {
    const l = this.labels(namespace, name, metric, index);
    this.latency.set(l, reading.latencySeconds);
    if (reading.error) {
      this.scalerErrors.inc(l);
      this.objectErrors.inc({ namespace, scaledObject: name });
      return;
    }
    this.value.set(l, reading.value ?? 0);
    this.active.set(l, reading.active ? 1 : 0);
  }

  registered(namespace: string, name: string, metrics: ReadonlyArray<{ metric: string; index: number }>): void {
    this.paused.set({ namespace, scaledObject: name }, 0);
    for (const m of metrics) this.scalerErrors.inc(this.labels(namespace, name, m.metric, m.index), 0);
    this.objectErrors.inc({ namespace, scaledObject: name }, 0);
  }

  /** Drops a deleted ScaledObject's series, as KEDA does when it stops the scale loop. */
  forget(namespace: string, name: string, metrics: ReadonlyArray<{ metric: string; index: number }>): void {
    for (const m of metrics) {
      const l = this.labels(namespace, name, m.metric, m.index);
      for (const metric of [this.value, this.active, this.latency, this.scalerErrors]) metric.remove(l);
    }
    this.paused.remove({ namespace, scaledObject: name });
    this.objectErrors.remove({ namespace, scaledObject: name });
  }

  totals(perNamespace: ReadonlyMap<string, number>, triggerCount: number): void {
    this.resources.reset();
    for (const [namespace, n] of perNamespace) this.resources.set({ namespace, type: "scaled_object" }, n);
    this.triggers.set({ type: "prometheus" }, triggerCount);
  }
}
