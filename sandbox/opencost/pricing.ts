import { DEFAULT_GPU_PRICES_CENTS, GPU_CATALOG } from "../../lib/catalog/gpus";

/**
 * The stand-in's price table, in US cents per unit-hour. OpenCost itself reads node prices from
 * a cloud pricing API or a custom pricing config; the sandbox has neither, so prices are a table.
 *
 * Defaults are chosen so that whole hours of whole units cost a whole number of cents (2 cents a
 * core-hour, a quarter cent a GiB-hour of RAM, a hundredth of a cent a GiB-hour of PV): the
 * scripted scenario's figures are then exact to the cent and tests can compare them exactly.
 */
export interface PriceTable {
  /** By GPU type id of the catalog (`L4`, `A100-80GB`, `H100-80GB`). */
  gpuHourCents: Readonly<Record<string, number>>;
  cpuCoreHourCents: number;
  ramGiBHourCents: number;
  pvGiBHourCents: number;
}

export const DEFAULT_PRICES: PriceTable = {
  gpuHourCents: { ...DEFAULT_GPU_PRICES_CENTS },
  cpuCoreHourCents: 2,
  ramGiBHourCents: 0.25,
  pvGiBHourCents: 0.01,
};

export const GIB = 2 ** 30;

/** Merges a partial table over the defaults; negative or non-finite prices are refused. */
export function priceTable(overrides: Partial<PriceTable> = {}): PriceTable {
  const table: PriceTable = {
    ...DEFAULT_PRICES,
    ...overrides,
    gpuHourCents: { ...DEFAULT_PRICES.gpuHourCents, ...overrides.gpuHourCents },
  };
  const all = [table.cpuCoreHourCents, table.ramGiBHourCents, table.pvGiBHourCents, ...Object.values(table.gpuHourCents)];
  if (all.some((p) => !Number.isFinite(p) || p < 0)) throw new Error("prices must be finite and non-negative");
  return table;
}

/** The catalog GPU type of a node's `nvidia.com/gpu.product` label (GPU feature discovery's value). */
export function gpuTypeOfProduct(product: string | undefined): string | undefined {
  if (!product) return undefined;
  return GPU_CATALOG.find((g) => g.productLabel === product || g.id === product)?.id;
}

/** Cost in dollars, as OpenCost reports it (a float), of `unitHours` at `centsPerUnitHour`. */
export function dollars(unitHours: number, centsPerUnitHour: number): number {
  return (unitHours * centsPerUnitHour) / 100;
}
