import { stringify } from "yaml";

/**
 * The sandbox's `prometheus.yml`: one scrape job per exporter kind, each discovering its targets
 * from a file_sd JSON file (rewritten whenever the fleet changes) and relabelled the way a real
 * cluster's kubernetes_sd pod-scrape config does, so series carry `namespace`, `pod`, `node`,
 * `container` and the portal's pod labels (`tenant`, `deployment`, …) as in production.
 */

export interface JobSpec {
  name: string;
  /**
   * True where a real cluster sets it: exporters that describe *other* pods (kube-state-metrics,
   * the DCGM exporter with pod mapping) carry `namespace`/`pod` labels of the pod described; with
   * false Prometheus would rename those to `exported_namespace`/`exported_pod` and stamp the
   * exporter's own pod on every series.
   */
  honorLabels: boolean;
}

/** The jobs a real platform runs; a target with another job name gets a job of its own. */
export const KNOWN_JOBS: readonly JobSpec[] = [
  { name: "vllm", honorLabels: false },
  { name: "epp", honorLabels: false },
  { name: "dcgm-exporter", honorLabels: true },
  { name: "kube-state-metrics", honorLabels: true },
  // KEDA's series describe ScaledObjects in tenant namespaces, not the operator's own pod.
  { name: "keda-operator", honorLabels: true },
];

/** Pod labels (kubernetes_sd-sanitized name → Prometheus label) copied onto every series. */
export const POD_LABEL_MAP: Readonly<Record<string, string>> = {
  portal_inference_platform_io_tenant: "tenant",
  portal_inference_platform_io_deployment: "deployment",
  portal_inference_platform_io_model: "model",
  portal_inference_platform_io_role: "role",
};

const META_MAP: Readonly<Record<string, string>> = {
  __meta_kubernetes_namespace: "namespace",
  __meta_kubernetes_pod_name: "pod",
  __meta_kubernetes_pod_node_name: "node",
  __meta_kubernetes_pod_container_name: "container",
};

export interface PrometheusConfigInput {
  jobs: readonly JobSpec[];
  /** Directory holding `<job>.json` file_sd files. */
  sdDir: string;
  scrapeIntervalSeconds: number;
  /** How often file_sd re-reads the files besides inotify (seconds). */
  sdRefreshSeconds?: number;
}

export const sdFileName = (job: string) => `${job.replace(/[^A-Za-z0-9_-]/g, "_")}.json`;

export function jobSpecFor(name: string): JobSpec {
  return KNOWN_JOBS.find((j) => j.name === name) ?? { name, honorLabels: false };
}

function relabelConfigs() {
  // `replace` with a missing source label yields "", which leaves the target label unset.
  const meta = Object.entries(META_MAP).map(([source, target]) => ({ source_labels: [source], target_label: target }));
  const pod = Object.entries(POD_LABEL_MAP).map(([label, target]) => ({
    source_labels: [`__meta_kubernetes_pod_label_${label}`],
    target_label: target,
  }));
  return [...meta, ...pod];
}

export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  const interval = `${input.scrapeIntervalSeconds}s`;
  const config = {
    global: {
      scrape_interval: interval,
      scrape_timeout: interval,
      evaluation_interval: interval,
      external_labels: { cluster: "sandbox" },
    },
    scrape_configs: input.jobs.map((job) => ({
      job_name: job.name,
      honor_labels: job.honorLabels,
      file_sd_configs: [{ files: [`${input.sdDir}/${sdFileName(job.name)}`], refresh_interval: `${input.sdRefreshSeconds ?? 2}s` }],
      relabel_configs: relabelConfigs(),
    })),
  };
  return stringify(config);
}
