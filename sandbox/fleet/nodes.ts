import { createHash } from "node:crypto";
import { findGpu, GPU_PRODUCT_LABEL, GPU_RESOURCE, type GpuType } from "../../lib/catalog/gpus";
import type { KubeObject } from "../cluster/validate";
import type { NodeSpec } from "./types";

/** Who holds a GPU: the pod and container dcgm-exporter attributes its metrics to. */
export interface GpuHolder {
  namespace: string;
  pod: string;
  container: string;
}

export interface GpuDevice {
  index: number;
  /** `GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, stable per node name and index. */
  uuid: string;
  /** `00000000:18:00.0`, as nvidia-smi prints it. */
  pciBusId: string;
  holder?: GpuHolder;
}

export interface SimNode {
  name: string;
  gpu: GpuType;
  gpus: GpuDevice[];
}

/** Two L4 nodes, one A100 and one H100 node, eight GPUs each (the catalog's node shape). */
export const DEFAULT_NODES: readonly NodeSpec[] = [
  { name: "gpu-l4-0", gpuType: "L4" },
  { name: "gpu-l4-1", gpuType: "L4" },
  { name: "gpu-a100-0", gpuType: "A100-80GB" },
  { name: "gpu-h100-0", gpuType: "H100-80GB" },
];

// The PCI buses of the eight GPU slots of a typical 8-GPU server (DGX-style layout).
const PCI_BUSES = [0x18, 0x2a, 0x3a, 0x5d, 0x9a, 0xab, 0xba, 0xdb];

function gpuUuid(node: string, index: number): string {
  const h = createHash("sha256").update(`${node}/${index}`).digest("hex");
  return `GPU-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function pciBusId(index: number): string {
  const bus = PCI_BUSES[index] ?? 0x100 + index;
  return `00000000:${bus.toString(16).toUpperCase().padStart(2, "0")}:00.0`;
}

export function buildNodes(specs: readonly NodeSpec[]): SimNode[] {
  const seen = new Set<string>();
  return specs.map((spec) => {
    if (seen.has(spec.name)) throw new Error(`duplicate node name ${spec.name}`);
    seen.add(spec.name);
    const gpu = findGpu(spec.gpuType);
    if (!gpu) throw new Error(`unknown GPU type ${spec.gpuType} on node ${spec.name}`);
    const count = spec.gpuCount ?? gpu.gpusPerNode;
    if (!Number.isInteger(count) || count < 1) throw new Error(`node ${spec.name} needs a positive GPU count`);
    const gpus = Array.from({ length: count }, (_, index) => ({ index, uuid: gpuUuid(spec.name, index), pciBusId: pciBusId(index) }));
    return { name: spec.name, gpu, gpus };
  });
}

export const freeGpus = (node: SimNode) => node.gpus.filter((g) => !g.holder);

/**
 * The v1 Node as GPU feature discovery and the device plugin leave it: product label,
 * `nvidia.com/gpu` capacity/allocatable, the NoSchedule taint GPU pools carry.
 */
export function nodeObject(node: SimNode): KubeObject {
  const count = String(node.gpus.length);
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: node.name,
      labels: {
        "kubernetes.io/hostname": node.name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        [GPU_PRODUCT_LABEL]: node.gpu.productLabel,
        "nvidia.com/gpu.count": count,
        "nvidia.com/gpu.memory": String(node.gpu.memoryGb * 1024),
        "nvidia.com/gpu.present": "true",
      },
    },
    spec: { taints: [{ key: GPU_RESOURCE, value: "present", effect: "NoSchedule" }] },
    status: {
      capacity: { cpu: "96", memory: "1056Gi", pods: "110", [GPU_RESOURCE]: count },
      allocatable: { cpu: "94", memory: "1020Gi", pods: "110", [GPU_RESOURCE]: count },
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }],
      nodeInfo: { kubeletVersion: "v1.32.0", containerRuntimeVersion: "containerd://1.7.24", operatingSystem: "linux", architecture: "amd64" },
    },
  };
}
