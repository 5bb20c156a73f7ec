import { sanitizeLabelName } from "./exposition";
import { podLabels, type SimPod } from "./pod-objects";
import type { WorkloadSpec } from "./workloads";

/**
 * The `__meta_kubernetes_*` labels kubernetes_sd (role: pod) attaches to a discovered
 * container port, so the sandbox's Prometheus relabels the fleet exactly like a real cluster.
 */

function metaLabels(namespace: string, pod: string, container: string, node: string, labels: Record<string, string>, annotations: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {
    __meta_kubernetes_namespace: namespace,
    __meta_kubernetes_pod_name: pod,
    __meta_kubernetes_pod_node_name: node,
    __meta_kubernetes_pod_container_name: container,
  };
  for (const [k, v] of Object.entries(labels)) {
    out[`__meta_kubernetes_pod_label_${sanitizeLabelName(k)}`] = v;
    out[`__meta_kubernetes_pod_labelpresent_${sanitizeLabelName(k)}`] = "true";
  }
  for (const [k, v] of Object.entries(annotations)) {
    out[`__meta_kubernetes_pod_annotation_${sanitizeLabelName(k)}`] = v;
    out[`__meta_kubernetes_pod_annotationpresent_${sanitizeLabelName(k)}`] = "true";
  }
  return out;
}

export function podTargetLabels(spec: WorkloadSpec, pod: SimPod, ready: boolean): Record<string, string> {
  return {
    ...metaLabels(spec.namespace, pod.name, spec.container, pod.placement?.node.name ?? "", podLabels(spec, pod), spec.podAnnotations),
    __meta_kubernetes_pod_ready: String(ready),
    __meta_kubernetes_pod_phase: pod.deletingAt ? "Running" : pod.placement ? "Running" : "Pending",
    __meta_kubernetes_pod_ip: pod.podIP ?? "",
    __meta_kubernetes_pod_controller_kind: spec.kind === "Deployment" ? "ReplicaSet" : "StatefulSet",
    __meta_kubernetes_pod_controller_name: spec.kind === "Deployment" ? `${spec.name}-${spec.templateHash}` : spec.name,
  };
}

/** A platform pod (dcgm-exporter, kube-state-metrics, an EPP) that is always ready. */
export function staticPodLabels(namespace: string, pod: string, container: string, node: string, labels: Record<string, string>): Record<string, string> {
  return { ...metaLabels(namespace, pod, container, node, labels), __meta_kubernetes_pod_ready: "true", __meta_kubernetes_pod_phase: "Running" };
}
