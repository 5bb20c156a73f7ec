import { z } from "zod";
import type { ClusterStore } from "../cluster/store";
import type { KubeObject } from "../cluster/validate";
import { type Family, renderFamilies, type Sample } from "../fleet/exposition";
import { NODE_KIND, POD_KIND } from "../fleet/kinds";

/**
 * kube-state-metrics over the in-memory cluster: the families the dashboards and the
 * autoscaling views read, with kube-state-metrics' own names, label names and help texts
 * (v2.x). Objects come from the platform repo and from simulators, so fields are parsed
 * leniently: a malformed object yields no series, never an exception.
 */

export interface KubeStateOptions {
  store: ClusterStore;
  /**
   * spec.replicas of a Deployment whose manifest leaves it to an autoscaler (the API server
   * defaults it to 1, then the HPA writes it through /scale; the fleet knows the current value).
   */
  specReplicas?: (namespace: string, name: string) => number | undefined;
}

const num = z.coerce.number().finite();
const deploymentSchema = z.object({
  spec: z.looseObject({ replicas: num.optional() }).optional(),
  status: z
    .object({
      replicas: num.optional(),
      readyReplicas: num.optional(),
      availableReplicas: num.optional(),
      updatedReplicas: num.optional(),
      unavailableReplicas: num.optional(),
      observedGeneration: num.optional(),
    })
    .optional(),
});
const containerSchema = z.object({
  name: z.string(),
  resources: z.object({ requests: z.record(z.string(), z.union([z.string(), z.number()])).optional() }).optional(),
});
const podSchema = z.object({
  spec: z.object({ nodeName: z.string().optional(), containers: z.array(containerSchema).default([]), priorityClassName: z.string().optional(), hostNetwork: z.boolean().optional() }),
  status: z
    .object({
      phase: z.string().optional(),
      hostIP: z.string().optional(),
      podIP: z.string().optional(),
      conditions: z.array(z.object({ type: z.string(), status: z.string() })).optional(),
    })
    .optional(),
});
const hpaSchema = z.object({
  spec: z.object({
    minReplicas: num.optional(),
    maxReplicas: num,
    scaleTargetRef: z.object({ apiVersion: z.string().optional(), kind: z.string(), name: z.string() }).optional(),
  }),
  status: z.object({ currentReplicas: num.optional(), desiredReplicas: num.optional() }).optional(),
});
const nodeSchema = z.object({
  status: z.object({ capacity: z.record(z.string(), z.string()).optional(), allocatable: z.record(z.string(), z.string()).optional() }).optional(),
});

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A Kubernetes quantity ("200m", "64Gi", "8") as a number, or undefined. */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === "number") return Number.isFinite(q) ? q : undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|m|k|M|G|T)?$/.exec(q.trim());
  if (!m) return undefined;
  const unit = m[2];
  return Number(m[1]) * (unit ? (BINARY[unit] ?? DECIMAL[unit] ?? 1) : 1);
}

/** kube-state-metrics' resource naming: `nvidia.com/gpu` → `nvidia_com_gpu`, with its unit. */
function resourceLabels(resource: string): { resource: string; unit: string } {
  if (resource === "cpu") return { resource: "cpu", unit: "core" };
  if (resource === "memory" || resource === "ephemeral-storage") return { resource: resource.replace(/-/g, "_"), unit: "byte" };
  return { resource: resource.replace(/[^a-zA-Z0-9_]/g, "_"), unit: "integer" };
}

const family = (name: string, help: string, type: Family["type"] = "gauge"): Family => ({ name, help, type, samples: [] });

function ownerOf(o: KubeObject): { kind: string; name: string } {
  const owners = (o.metadata.ownerReferences as Array<{ kind?: string; name?: string; controller?: boolean }> | undefined) ?? [];
  const owner = owners.find((r) => r.controller) ?? owners[0];
  return { kind: owner?.kind ?? "<none>", name: owner?.name ?? "<none>" };
}

export function renderKubeState(o: KubeStateOptions): string {
  const d = {
    spec: family("kube_deployment_spec_replicas", "Number of desired pods for a deployment."),
    replicas: family("kube_deployment_status_replicas", "The number of replicas per deployment."),
    ready: family("kube_deployment_status_replicas_ready", "The number of ready replicas per deployment."),
    available: family("kube_deployment_status_replicas_available", "The number of available replicas per deployment."),
    updated: family("kube_deployment_status_replicas_updated", "The number of updated replicas per deployment."),
    unavailable: family("kube_deployment_status_replicas_unavailable", "The number of unavailable replicas per deployment."),
  };
  for (const obj of o.store.list({ group: "apps", kind: "Deployment" })) {
    const parsed = deploymentSchema.safeParse(obj);
    if (!parsed.success) continue;
    const labels = { namespace: obj.metadata.namespace ?? "", deployment: obj.metadata.name };
    const s = parsed.data.status ?? {};
    const spec = parsed.data.spec?.replicas ?? o.specReplicas?.(labels.namespace, labels.deployment) ?? 1;
    d.spec.samples.push({ labels, value: spec });
    d.replicas.samples.push({ labels, value: s.replicas ?? 0 });
    d.ready.samples.push({ labels, value: s.readyReplicas ?? 0 });
    d.available.samples.push({ labels, value: s.availableReplicas ?? 0 });
    d.updated.samples.push({ labels, value: s.updatedReplicas ?? 0 });
    d.unavailable.samples.push({ labels, value: s.unavailableReplicas ?? 0 });
  }

  const p = {
    info: family("kube_pod_info", "Information about pod."),
    phase: family("kube_pod_status_phase", "The pods current phase."),
    ready: family("kube_pod_status_ready", "Describes whether the pod is ready to serve requests."),
    scheduled: family("kube_pod_status_scheduled", "Describes the status of the scheduling process for the pod."),
    requests: family("kube_pod_container_resource_requests", "The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise."),
  };
  for (const obj of o.store.list({ group: POD_KIND.group, kind: POD_KIND.kind })) {
    const parsed = podSchema.safeParse(obj);
    if (!parsed.success) continue;
    const { spec, status = {} } = parsed.data;
    const base = { namespace: obj.metadata.namespace ?? "", pod: obj.metadata.name, uid: String(obj.metadata.uid ?? "") };
    const owner = ownerOf(obj);
    p.info.samples.push({
      labels: {
        ...base,
        host_ip: status.hostIP ?? "",
        pod_ip: status.podIP ?? "",
        node: spec.nodeName ?? "",
        created_by_kind: owner.kind,
        created_by_name: owner.name,
        priority_class: spec.priorityClassName ?? "",
        host_network: String(spec.hostNetwork ?? false),
      },
      value: 1,
    });
    for (const phase of ["Pending", "Succeeded", "Failed", "Unknown", "Running"]) {
      p.phase.samples.push({ labels: { ...base, phase }, value: status.phase === phase ? 1 : 0 });
    }
    const cond = (type: string) => status.conditions?.find((c) => c.type === type)?.status.toLowerCase();
    const ready = cond("Ready") ?? "false";
    const scheduled = cond("PodScheduled") ?? "false";
    for (const c of ["true", "false", "unknown"]) {
      p.ready.samples.push({ labels: { ...base, condition: c }, value: ready === c ? 1 : 0 });
      p.scheduled.samples.push({ labels: { ...base, condition: c }, value: scheduled === c ? 1 : 0 });
    }
    for (const container of spec.containers) {
      for (const [resource, quantity] of Object.entries(container.resources?.requests ?? {})) {
        const value = parseQuantity(quantity);
        if (value === undefined) continue;
        p.requests.samples.push({ labels: { ...base, container: container.name, node: spec.nodeName ?? "", ...resourceLabels(resource) }, value });
      }
    }
  }

  const h = {
    info: family("kube_horizontalpodautoscaler_info", "Information about this autoscaler."),
    min: family("kube_horizontalpodautoscaler_spec_min_replicas", "Lower limit for the number of pods that can be set by the autoscaler, default 1."),
    max: family("kube_horizontalpodautoscaler_spec_max_replicas", "Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas."),
    current: family("kube_horizontalpodautoscaler_status_current_replicas", "Current number of replicas of pods managed by this autoscaler."),
    desired: family("kube_horizontalpodautoscaler_status_desired_replicas", "Desired number of replicas of pods managed by this autoscaler."),
  };
  for (const obj of o.store.list({ group: "autoscaling", kind: "HorizontalPodAutoscaler" })) {
    const parsed = hpaSchema.safeParse(obj);
    if (!parsed.success) continue;
    const labels = { namespace: obj.metadata.namespace ?? "", horizontalpodautoscaler: obj.metadata.name };
    const target = parsed.data.spec.scaleTargetRef;
    h.info.samples.push({
      labels: {
        ...labels,
        scaletargetref_api_version: target?.apiVersion ?? "",
        scaletargetref_kind: target?.kind ?? "",
        scaletargetref_name: target?.name ?? "",
      },
      value: 1,
    });
    h.min.samples.push({ labels, value: parsed.data.spec.minReplicas ?? 1 });
    h.max.samples.push({ labels, value: parsed.data.spec.maxReplicas });
    h.current.samples.push({ labels, value: parsed.data.status?.currentReplicas ?? 0 });
    h.desired.samples.push({ labels, value: parsed.data.status?.desiredReplicas ?? 0 });
  }

  const n = {
    info: family("kube_node_info", "Information about a cluster node."),
    capacity: family("kube_node_status_capacity", "The capacity for different resources of a node."),
    allocatable: family("kube_node_status_allocatable", "The allocatable for different resources of a node that are available for scheduling."),
  };
  for (const obj of o.store.list({ group: NODE_KIND.group, kind: NODE_KIND.kind })) {
    const parsed = nodeSchema.safeParse(obj);
    if (!parsed.success) continue;
    const node = obj.metadata.name;
    n.info.samples.push({ labels: { node, internal_ip: "", provider_id: "", system_uuid: "" }, value: 1 });
    const add = (f: Family, values: Record<string, string> | undefined) => {
      for (const [resource, quantity] of Object.entries(values ?? {})) {
        const value = parseQuantity(quantity);
        if (value !== undefined) f.samples.push({ labels: { node, ...resourceLabels(resource) }, value } satisfies Sample);
      }
    };
    add(n.capacity, parsed.data.status?.capacity);
    add(n.allocatable, parsed.data.status?.allocatable);
  }

  return renderFamilies([...Object.values(d), ...Object.values(p), ...Object.values(h), ...Object.values(n)]);
}
