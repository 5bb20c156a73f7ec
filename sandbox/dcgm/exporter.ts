import { createServer, type Server } from "node:http";
import { sendText } from "../http/respond";
import { type Family, PROMETHEUS_CONTENT_TYPE, renderFamilies, type Sample } from "../fleet/exposition";
import type { GpuHolder, SimNode } from "../fleet/nodes";
import { GPU_CHARACTERISTICS, GpuPhysics, type GpuReading } from "./gpu-physics";

/**
 * dcgm-exporter as its DaemonSet pod runs on one node: `/metrics` lists every GPU of the node
 * with the default counters (etc/default-counters.csv), the per-GPU labels of the current
 * release and, in Kubernetes mode, the pod/namespace/container holding the GPU (empty strings
 * when none does). The per-GPU host label is `hostname`: upstream renamed it from `Hostname`
 * (#655), and the reference's current version uses the lower-case name.
 */

export const DRIVER_VERSION = "570.133.20";
const TICK_MS = 1_000;

type Field = { name: string; type: "gauge" | "counter"; help: string; value: (r: GpuReading) => number };

/** The default counters, names, types and help text exactly as the CSV has them. */
export const DCGM_FIELDS: readonly Field[] = [
  { name: "DCGM_FI_DEV_SM_CLOCK", type: "gauge", help: "SM clock frequency (in MHz).", value: (r) => r.smClockMHz },
  { name: "DCGM_FI_DEV_MEM_CLOCK", type: "gauge", help: "Memory clock frequency (in MHz).", value: (r) => r.memClockMHz },
  { name: "DCGM_FI_DEV_MEMORY_TEMP", type: "gauge", help: "Memory temperature (in C).", value: (r) => r.memoryTempC },
  { name: "DCGM_FI_DEV_GPU_TEMP", type: "gauge", help: "GPU temperature (in C).", value: (r) => r.gpuTempC },
  { name: "DCGM_FI_DEV_POWER_USAGE", type: "gauge", help: "Power draw (in W).", value: (r) => r.powerWatts },
  { name: "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", type: "counter", help: "Total energy consumption since boot (in mJ).", value: (r) => r.energyMillijoules },
  { name: "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", type: "counter", help: "Total number of PCIe retries.", value: () => 0 },
  { name: "DCGM_FI_DEV_GPU_UTIL", type: "gauge", help: "GPU utilization (in %).", value: (r) => r.utilPercent },
  { name: "DCGM_FI_DEV_MEM_COPY_UTIL", type: "gauge", help: "Memory utilization (in %).", value: (r) => r.memCopyUtilPercent },
  { name: "DCGM_FI_DEV_ENC_UTIL", type: "gauge", help: "Encoder utilization (in %).", value: () => 0 },
  { name: "DCGM_FI_DEV_DEC_UTIL", type: "gauge", help: "Decoder utilization (in %).", value: () => 0 },
  { name: "DCGM_FI_DEV_XID_ERRORS", type: "gauge", help: "Value of the last XID error encountered.", value: () => 0 },
  { name: "DCGM_FI_DEV_FB_FREE", type: "gauge", help: "Framebuffer memory free (in MiB).", value: (r) => r.fbFreeMiB },
  { name: "DCGM_FI_DEV_FB_USED", type: "gauge", help: "Framebuffer memory used (in MiB).", value: (r) => r.fbUsedMiB },
  { name: "DCGM_FI_DEV_FB_RESERVED", type: "gauge", help: "Framebuffer memory reserved (in MiB).", value: (r) => r.fbReservedMiB },
  { name: "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", type: "counter", help: "Total number of NVLink bandwidth counters for all lanes.", value: () => 0 },
  { name: "DCGM_FI_DEV_VGPU_LICENSE_STATUS", type: "gauge", help: "vGPU License status", value: () => 0 },
  { name: "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", type: "counter", help: "Number of remapped rows for uncorrectable errors", value: () => 0 },
  { name: "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", type: "counter", help: "Number of remapped rows for correctable errors", value: () => 0 },
  { name: "DCGM_FI_DEV_ROW_REMAP_FAILURE", type: "gauge", help: "Whether remapping of rows has failed", value: () => 0 },
  { name: "DCGM_FI_PROF_GR_ENGINE_ACTIVE", type: "gauge", help: "Ratio of time the graphics engine is active.", value: (r) => r.grEngineActive },
  { name: "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", type: "gauge", help: "Ratio of cycles the tensor (HMMA) pipe is active.", value: (r) => r.tensorActive },
  { name: "DCGM_FI_PROF_DRAM_ACTIVE", type: "gauge", help: "Ratio of cycles the device memory interface is active sending or receiving data.", value: (r) => r.dramActive },
  {
    name: "DCGM_FI_PROF_PCIE_TX_BYTES",
    type: "gauge",
    help: "The rate of data transmitted over the PCIe bus - including both protocol headers and data payloads - in bytes per second.",
    value: (r) => Math.round(2e6 + r.grEngineActive * 4e8),
  },
  {
    name: "DCGM_FI_PROF_PCIE_RX_BYTES",
    type: "gauge",
    help: "The rate of data received over the PCIe bus - including both protocol headers and data payloads - in bytes per second.",
    value: (r) => Math.round(3e6 + r.grEngineActive * 6e8),
  },
];

export interface DcgmExporterOptions {
  node: SimNode;
  /** Share of time the holder's GPUs are busy (the model server's gpuBusy), 0..1. */
  busyOf: (holder: GpuHolder) => number;
  now?: () => number;
}

export interface DcgmExporter {
  server: Server;
  /** Advances the sensors to now and renders the exposition. */
  render(): string;
  close(): void;
}

export function createDcgmExporter(o: DcgmExporterOptions): DcgmExporter {
  const now = o.now ?? Date.now;
  const c = GPU_CHARACTERISTICS[o.node.gpu.id];
  // A few days of idle uptime, so the energy counter looks like a machine that was running.
  const physics = o.node.gpus.map(() => new GpuPhysics(c, c.idleWatts * 3 * 86_400_000));
  let last = now();

  const advance = () => {
    const t = now();
    const dt = t - last;
    last = t;
    o.node.gpus.forEach((g, i) => {
      const busy = g.holder ? o.busyOf(g.holder) : 0;
      physics[i]!.advance(dt, { busy, held: Boolean(g.holder) });
    });
  };
  // Sensors move whether or not anyone scrapes (the energy counter integrates real time).
  const ticker = setInterval(advance, TICK_MS);
  ticker.unref();

  const render = () => {
    advance();
    const readings = physics.map((p) => p.reading());
    const labels = o.node.gpus.map((g) => ({
      gpu: String(g.index),
      UUID: g.uuid,
      pci_bus_id: g.pciBusId,
      device: `nvidia${g.index}`,
      modelName: c.modelName,
      hostname: o.node.name,
      DCGM_FI_DRIVER_VERSION: DRIVER_VERSION,
      container: g.holder?.container ?? "",
      namespace: g.holder?.namespace ?? "",
      pod: g.holder?.pod ?? "",
    }));
    const families: Family[] = DCGM_FIELDS.map((f) => ({
      name: f.name,
      type: f.type,
      help: f.help,
      samples: readings.map((r, i): Sample => ({ labels: labels[i]!, value: f.value(r) })),
    }));
    return renderFamilies(families);
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://dcgm").pathname;
    if (req.method === "GET" && path === "/metrics") return sendText(res, 200, render(), PROMETHEUS_CONTENT_TYPE);
    if (req.method === "GET" && path === "/health") return sendText(res, 200, "OK");
    sendText(res, 404, "404 page not found");
  });
  return { server, render, close: () => clearInterval(ticker) };
}
