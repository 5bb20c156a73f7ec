import { formatCents } from "@/lib/money/cents";

/** Display formatting of the cost pages; amounts arrive as integer cents from the domain. */
export const money = (cents: number | null, currency: string) => (cents === null ? "—" : formatCents(cents, currency));

export const percent = (pct: number | null) => (pct === null ? "—" : `${pct.toFixed(pct !== 0 && Math.abs(pct) < 1 ? 2 : 1)}%`);

export const signedPercent = (pct: number | null) => (pct === null ? "—" : `${pct > 0 ? "+" : ""}${percent(pct)}`);

export const hours = (h: number) => h.toLocaleString("en-US", { maximumFractionDigits: 1 });

export const count = (n: number) => n.toLocaleString("en-US");

export const IDLE_SHARING_TEXT = {
  none: "Idle GPU cost is not shared: it stays unallocated and is shown in the reconciliation line.",
  proportional: "Idle GPU cost is shared in proportion to each tenant's GPU cost (OpenCost shareIdle).",
  "by-node": "Idle GPU cost is shared per node among the tenants on that node (OpenCost shareIdle with idleByNode).",
} as const;
