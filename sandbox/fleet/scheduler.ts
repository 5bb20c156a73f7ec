import { GPU_RESOURCE } from "../../lib/catalog/gpus";
import { freeGpus, type SimNode } from "./nodes";

export interface Placement {
  node: SimNode;
  gpus: number[];
}

export type PlaceResult = { ok: true; placements: Placement[] } | { ok: false; message: string };

/**
 * kube-scheduler's decision for a replica's pods (one, or an LWS group placed as a unit):
 * filter nodes by nodeSelector and free `nvidia.com/gpu`, then prefer the fullest node that
 * fits (bin-packing, as GPU clusters configure MostAllocated) so whole nodes stay free for
 * large replicas. Nothing is reserved here; the caller assigns the returned GPUs.
 */
export function placePods(
  nodes: readonly SimNode[],
  nodeLabels: (node: SimNode) => Record<string, string>,
  nodeSelector: Record<string, string>,
  gpusPerPod: number,
  pods: number,
): PlaceResult {
  const matching = nodes.filter((n) => Object.entries(nodeSelector).every(([k, v]) => nodeLabels(n)[k] === v));
  const taken = new Map<string, number>();
  const placements: Placement[] = [];
  for (let i = 0; i < pods; i++) {
    const candidates = matching
      .map((node) => ({ node, free: freeGpus(node).length - (taken.get(node.name) ?? 0) }))
      .filter((c) => c.free >= gpusPerPod)
      .sort((a, b) => a.free - b.free || a.node.name.localeCompare(b.node.name));
    const best = candidates[0];
    if (!best) return { ok: false, message: unschedulableMessage(nodes.length, matching, gpusPerPod, taken) };
    const already = taken.get(best.node.name) ?? 0;
    const gpus = freeGpus(best.node).slice(already, already + gpusPerPod).map((g) => g.index);
    taken.set(best.node.name, already + gpusPerPod);
    placements.push({ node: best.node, gpus });
  }
  return { ok: true, placements };
}

/** The FailedScheduling event text, e.g. `0/4 nodes are available: 2 Insufficient nvidia.com/gpu, 2 node(s) didn't match Pod's node affinity/selector.` */
function unschedulableMessage(total: number, matching: readonly SimNode[], gpusPerPod: number, taken: Map<string, number>): string {
  const insufficient = matching.filter((n) => freeGpus(n).length - (taken.get(n.name) ?? 0) < gpusPerPod).length;
  const mismatched = total - matching.length;
  const reasons = [
    ...(insufficient ? [`${insufficient} Insufficient ${GPU_RESOURCE}`] : []),
    ...(mismatched ? [`${mismatched} node(s) didn't match Pod's node affinity/selector`] : []),
  ];
  return `0/${total} nodes are available: ${reasons.join(", ")}. preemption: 0/${total} nodes are available: ${insufficient} No preemption victims found for incoming pod, ${mismatched} Preemption is not helpful for scheduling.`;
}
