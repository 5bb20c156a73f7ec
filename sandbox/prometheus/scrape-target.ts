/**
 * One thing Prometheus scrapes, shaped like what kubernetes_sd discovers for a pod: the
 * `__meta_kubernetes_*` labels are turned into `namespace`/`pod`/`node`/… by the relabelling in
 * `config.ts`, exactly as a real cluster's pod-scrape config does, so PromQL written against the
 * sandbox keeps working against production.
 *
 * Structurally the same as the fleet's `ScrapeTarget` (whose `job` is a narrower union).
 */
export interface ScrapeTarget {
  /** Scrape job (`vllm`, `dcgm-exporter`, `kube-state-metrics`, `epp`, `keda-operator`). */
  job: string;
  /** `host:port` to scrape. */
  address: string;
  metricsPath: string;
  /** Discovery labels (`__meta_kubernetes_pod_name`, …) and plain target labels. */
  labels: Record<string, string>;
}

/** Subscribe to target changes; returns the unsubscribe function. */
export type OnTargetsChanged = (listener: () => void) => () => void;
