import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterStore } from "../cluster/store";
import { startFleet } from "../fleet/fleet";
import { promtoolCheckMetrics } from "../fleet/promtool";
import { applyModel, eventually } from "../fleet/test-fixtures";
import type { Fleet } from "../fleet/types";
import { DCGM_FIELDS } from "./exporter";
import { GPU_CHARACTERISTICS, GpuPhysics } from "./gpu-physics";

const REFERENCE = "/work/shared/reference/metrics/dcgm-exporter-default-counters.csv";
const fleets: Fleet[] = [];
afterEach(async () => {
  await Promise.all(fleets.splice(0).map((f) => f.close()));
});

type Series = { name: string; labels: Record<string, string>; value: number };
function parse(text: string): Series[] {
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const m = /^([A-Za-z_:][A-Za-z0-9_:]*)\{(.*)\} (\S+)$/.exec(l)!;
      const labels = Object.fromEntries([...m[2]!.matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

describe("DCGM exporter simulator", () => {
  it.skipIf(!fs.existsSync(REFERENCE))("exposes the default counters with the CSV's names, types and help", () => {
    const rows = fs
      .readFileSync(REFERENCE, "utf8")
      .split("\n")
      .filter((l) => l.trim() && !l.startsWith("#"))
      .map((l) => l.split(",").map((c) => c.trim()))
      .filter(([, type]) => type !== "label");
    expect(DCGM_FIELDS.map((f) => [f.name, f.type, f.help])).toEqual(rows.map(([name, type, ...help]) => [name, type, help.join(",")]));
  });

  it("moves power toward TDP under load and temperature only slowly; energy integrates power", () => {
    const c = GPU_CHARACTERISTICS.L4;
    const gpu = new GpuPhysics(c);
    for (let t = 0; t < 10_000; t += 100) gpu.advance(100, { busy: 1, held: true });
    const hot = gpu.reading();
    expect(hot.utilPercent).toBe(100);
    expect(hot.powerWatts).toBeGreaterThan(c.tdpWatts * 0.95);
    expect(hot.powerWatts).toBeLessThanOrEqual(c.tdpWatts);
    expect(hot.gpuTempC).toBeLessThan(30 + 50 * 0.5); // a minute's time constant: not even halfway after 10 s
    expect(hot.fbUsedMiB).toBe(Math.round(c.fbTotalMiB * 0.9));
    expect(hot.fbUsedMiB + hot.fbFreeMiB + hot.fbReservedMiB).toBe(c.fbTotalMiB);
    const before = hot.energyMillijoules;
    gpu.advance(1_000, { busy: 1, held: true });
    expect(gpu.reading().energyMillijoules - before).toBeGreaterThan(c.tdpWatts * 0.95 * 1000);
    for (let t = 0; t < 20_000; t += 100) gpu.advance(100, { busy: 0, held: false });
    expect(gpu.reading()).toMatchObject({ utilPercent: 0, fbUsedMiB: 1 });
    expect(gpu.reading().powerWatts).toBeLessThan(c.idleWatts + 1);
    gpu.advance(100, { busy: Number.NaN, held: false });
    expect(Number.isFinite(gpu.reading().powerWatts)).toBe(true);
  });

  it("attributes GPUs to the pod holding them and shows utilization rising under sustained load", async () => {
    const store = new ClusterStore();
    const fleet = await startFleet({ store, host: "127.0.0.1", publicHost: "127.0.0.1", modelLoadMs: 50, nodes: [{ name: "gpu-l4-0", gpuType: "L4", gpuCount: 2 }] });
    fleets.push(fleet);
    applyModel(store, { tenant: "acme", name: "chat" }, 1);
    const pod = await eventually(() => fleet.replicas()[0]?.ready === 1 && fleet.replicas()[0]!.pods[0]!, "ready pod");
    const target = fleet.targets().find((t) => t.job === "dcgm-exporter")!;
    expect(target.labels.__meta_kubernetes_pod_node_name).toBe("gpu-l4-0");
    const scrape = async () => parse(await (await fetch(`http://${target.address}${target.metricsPath}`)).text());
    const of = (series: Series[], name: string, gpu: number) => series.find((s) => s.name === name && s.labels.gpu === String(gpu))!;

    const idle = await scrape();
    const held = pod.gpus[0]!;
    const free = 1 - held;
    expect(of(idle, "DCGM_FI_DEV_GPU_UTIL", held).labels).toMatchObject({
      pod: pod.name,
      namespace: "acme",
      container: "vllm",
      hostname: "gpu-l4-0",
      modelName: "NVIDIA L4",
      device: `nvidia${held}`,
      UUID: expect.stringMatching(/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      pci_bus_id: expect.stringMatching(/^00000000:[0-9A-F]{2}:00\.0$/),
      DCGM_FI_DRIVER_VERSION: expect.any(String),
    });
    expect(of(idle, "DCGM_FI_DEV_GPU_UTIL", free).labels).toMatchObject({ pod: "", namespace: "", container: "" });
    expect(of(idle, "DCGM_FI_DEV_FB_USED", held).value).toBeGreaterThan(20_000);
    expect(of(idle, "DCGM_FI_DEV_FB_USED", free).value).toBeLessThan(10);
    const idlePower = of(idle, "DCGM_FI_DEV_POWER_USAGE", held).value;

    // Sustained load straight at the replica for ~2.5 s.
    const until = Date.now() + 2_500;
    const worker = async () => {
      while (Date.now() < until) {
        await (
          await fetch(`${pod.url}/v1/chat/completions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ model: "Qwen/Qwen2.5-0.5B-Instruct", messages: [{ role: "user", content: "Tell me a long story" }], max_tokens: 64, ignore_eos: true }),
          })
        ).text();
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const busy = await scrape();
    expect(of(busy, "DCGM_FI_DEV_GPU_UTIL", held).value).toBeGreaterThan(60);
    expect(of(busy, "DCGM_FI_DEV_GPU_UTIL", free).value).toBe(0);
    expect(of(busy, "DCGM_FI_DEV_POWER_USAGE", held).value).toBeGreaterThan(idlePower + 20);
    expect(of(busy, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", held).value).toBeGreaterThan(of(idle, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", held).value);
  });

  it("passes promtool check metrics apart from upstream's own naming", async () => {
    const store = new ClusterStore();
    const fleet = await startFleet({ store, host: "127.0.0.1", publicHost: "127.0.0.1", modelLoadMs: 10, nodes: [{ name: "gpu-h100-0", gpuType: "H100-80GB" }] });
    fleets.push(fleet);
    const target = fleet.targets().find((t) => t.job === "dcgm-exporter")!;
    const text = await (await fetch(`http://${target.address}${target.metricsPath}`)).text();
    const check = promtoolCheckMetrics(text);
    expect(check.parseError, check.output).toBe(false);
    const unexpected = check.findings.filter((f) => !/counter metrics should have "_total" suffix$|label names should be written in 'snake_case' not 'camelCase'$|^DCGM_FI_DEV_PCIE_REPLAY_COUNTER metric name should not include type 'counter'$/.test(f));
    expect(unexpected).toEqual([]);
    expect(text.split("\n").filter((l) => l.startsWith("DCGM_FI_DEV_GPU_UTIL{"))).toHaveLength(8);
  });
});
