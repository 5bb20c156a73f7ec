import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import { isoDay, type Period } from "@/lib/costs/period";
import { assertCostViewAll, assertCostViewTenant } from "./access";
import { chunksToStream } from "./stream";
import { dailyCsvChunks, tenantsCsvChunks } from "./tenants-csv";

export type CsvExport = { filename: string; stream: ReadableStream<Uint8Array> };

/**
 * Exports are data egress: each one is audited (who took which figures for which period) before
 * the first byte leaves, so an export that is cut off midway is still on record.
 */
export async function exportTenantsCsv(db: Db, principal: Principal, input: { period: Period; currency: string; granularity: "tenant" | "day" }): Promise<CsvExport> {
  await assertCostViewAll(db, principal);
  const range = `${isoDay(input.period.start)}_${isoDay(input.period.end)}`;
  await recordAudit(db, principal, {
    action: "cost.export",
    outcome: "success",
    targetType: "costs",
    targetId: "all-tenants",
    detail: { periodStart: isoDay(input.period.start), periodEnd: isoDay(input.period.end), granularity: input.granularity, format: "csv" },
  });
  const chunks = input.granularity === "day" ? dailyCsvChunks(db, input) : tenantsCsvChunks(db, input);
  return { filename: `costs-${input.granularity === "day" ? "daily-" : ""}${range}.csv`, stream: chunksToStream(chunks) };
}

export async function exportTenantDailyCsv(db: Db, principal: Principal, tenantId: string, input: { period: Period; currency: string }): Promise<CsvExport> {
  const tenant = await assertCostViewTenant(db, principal, tenantId);
  await recordAudit(db, principal, {
    action: "cost.export",
    outcome: "success",
    tenantId: tenant.id,
    targetType: "tenant",
    targetId: tenant.id,
    detail: { periodStart: isoDay(input.period.start), periodEnd: isoDay(input.period.end), granularity: "day", format: "csv" },
  });
  return {
    filename: `costs-${tenant.id}-${isoDay(input.period.start)}_${isoDay(input.period.end)}.csv`,
    stream: chunksToStream(dailyCsvChunks(db, { ...input, tenantIds: [tenant.id] })),
  };
}

/** The response of an export: a download, never cached (the figures are per viewer and change daily). */
export function csvResponse(file: CsvExport): Response {
  return new Response(file.stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8; header=present",
      // The filename is built from a tenant slug (DNS-1123) and ISO days only: nothing to escape.
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
