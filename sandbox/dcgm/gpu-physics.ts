import type { GpuTypeId } from "../../lib/catalog/gpus";

/**
 * How one GPU's sensors move with load, per GPU type: power follows utilization between idle
 * and TDP with a couple of seconds' lag, temperature follows power over about a minute, clocks
 * boost under load. Figures are the products' datasheet TDPs and typical idle readings.
 */
export interface GpuCharacteristics {
  modelName: string;
  idleWatts: number;
  tdpWatts: number;
  /** Framebuffer as nvidia-smi reports it, in MiB. */
  fbTotalMiB: number;
  /** Driver-reserved framebuffer, in MiB. */
  fbReservedMiB: number;
  idleSmClockMHz: number;
  boostSmClockMHz: number;
  memClockMHz: number;
}

export const GPU_CHARACTERISTICS: Record<GpuTypeId, GpuCharacteristics> = {
  L4: { modelName: "NVIDIA L4", idleWatts: 16, tdpWatts: 72, fbTotalMiB: 23034, fbReservedMiB: 434, idleSmClockMHz: 210, boostSmClockMHz: 2040, memClockMHz: 6251 },
  "A100-80GB": { modelName: "NVIDIA A100-SXM4-80GB", idleWatts: 62, tdpWatts: 400, fbTotalMiB: 81920, fbReservedMiB: 567, idleSmClockMHz: 210, boostSmClockMHz: 1410, memClockMHz: 1593 },
  "H100-80GB": { modelName: "NVIDIA H100 80GB HBM3", idleWatts: 72, tdpWatts: 700, fbTotalMiB: 81559, fbReservedMiB: 591, idleSmClockMHz: 345, boostSmClockMHz: 1980, memClockMHz: 2619 },
};

const AMBIENT_C = 30;
const UTIL_TAU_MS = 1_000;
const POWER_TAU_MS = 2_000;
const TEMP_TAU_MS = 60_000;
// vLLM's --gpu-memory-utilization=0.90: the share of the framebuffer it claims at start.
const VLLM_MEMORY_SHARE = 0.9;

export interface GpuInput {
  /** 0..1 share of time busy; 0 when idle. */
  busy: number;
  /** Whether a model server holds the GPU (it pre-allocates its memory share). */
  held: boolean;
}

export interface GpuReading {
  utilPercent: number;
  memCopyUtilPercent: number;
  powerWatts: number;
  energyMillijoules: number;
  gpuTempC: number;
  memoryTempC: number;
  smClockMHz: number;
  memClockMHz: number;
  fbUsedMiB: number;
  fbFreeMiB: number;
  fbReservedMiB: number;
  grEngineActive: number;
  tensorActive: number;
  dramActive: number;
}

const approach = (current: number, target: number, dtMs: number, tauMs: number) => target + (current - target) * Math.exp(-dtMs / tauMs);

/** One GPU's sensor state, advanced in time by the exporter. */
export class GpuPhysics {
  private util = 0;
  private power: number;
  private temp: number;
  private energyMj = 0;
  private fbUsed = 0;

  constructor(
    readonly c: GpuCharacteristics,
    /** Energy already consumed since boot, so counters do not start at zero. */
    bootEnergyMj = 0,
  ) {
    this.power = c.idleWatts;
    this.temp = AMBIENT_C + (c.idleWatts / c.tdpWatts) * 50;
    this.energyMj = bootEnergyMj;
  }

  advance(dtMs: number, input: GpuInput): void {
    if (dtMs <= 0) return;
    const busy = Math.min(1, Math.max(0, Number.isFinite(input.busy) ? input.busy : 0));
    this.util = approach(this.util, busy, dtMs, UTIL_TAU_MS);
    const targetPower = this.c.idleWatts + (this.c.tdpWatts - this.c.idleWatts) * this.util;
    const before = this.power;
    this.power = approach(this.power, targetPower, dtMs, POWER_TAU_MS);
    this.energyMj += ((before + this.power) / 2) * dtMs; // W × ms = mJ
    this.temp = approach(this.temp, AMBIENT_C + (this.power / this.c.tdpWatts) * 50, dtMs, TEMP_TAU_MS);
    const usable = this.c.fbTotalMiB - this.c.fbReservedMiB;
    // Allocation is immediate on model load; the driver keeps a few MiB even when idle.
    this.fbUsed = input.held ? Math.round(this.c.fbTotalMiB * VLLM_MEMORY_SHARE) : Math.min(usable, 1);
  }

  reading(): GpuReading {
    const utilPercent = Math.round(this.util * 100);
    const usable = this.c.fbTotalMiB - this.c.fbReservedMiB;
    const fbUsed = Math.min(usable, this.fbUsed);
    return {
      utilPercent,
      memCopyUtilPercent: Math.round(this.util * 70),
      powerWatts: Math.round(this.power * 1000) / 1000,
      energyMillijoules: Math.round(this.energyMj),
      gpuTempC: Math.round(this.temp),
      memoryTempC: Math.round(this.temp + 4),
      smClockMHz: Math.round(this.c.idleSmClockMHz + (this.c.boostSmClockMHz - this.c.idleSmClockMHz) * Math.min(1, this.util * 4)),
      memClockMHz: this.util > 0.01 ? this.c.memClockMHz : Math.round(this.c.memClockMHz * 0.065),
      fbUsedMiB: fbUsed,
      fbFreeMiB: usable - fbUsed,
      fbReservedMiB: this.c.fbReservedMiB,
      grEngineActive: Math.round(this.util * 1000) / 1000,
      tensorActive: Math.round(this.util * 450) / 1000,
      dramActive: Math.round(this.util * 700) / 1000,
    };
  }
}
