import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertAllowed } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/record-audit";
import { GPU_TYPE_IDS } from "@/lib/catalog/gpus";
import { dnsLabel } from "@/lib/gitops/requests";
import { AppError, validationError } from "@/lib/http/errors";
import { IMPORT_FORMATS, MAX_IMPORT_BYTES, parseImport } from "../import/import-file";
import { importRun } from "../store";

const optionalText = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());
const optionalInt = z.preprocess((v) => (v === "" || v === null || v === undefined ? undefined : Number(v)), z.number().int().min(1).max(64).optional());

/** The form fields of an import (multipart or JSON); the file itself is `text`. */
export const importFieldsSchema = z.object({
  format: z.enum(IMPORT_FORMATS, { error: `One of ${IMPORT_FORMATS.join(", ")}` }),
  text: z.string().min(1, "Choose a file").max(MAX_IMPORT_BYTES, `At most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`),
  name: optionalText(z.string().trim().min(1).max(120)),
  /** The tenant the results belong to; omitted: platform-wide (platform admins only). */
  tenantId: optionalText(dnsLabel(63)),
  deploymentName: optionalText(dnsLabel(63)),
  gpuType: optionalText(z.enum(GPU_TYPE_IDS)),
  gpuCount: optionalInt,
  servingLayer: optionalText(z.string().trim().max(40)),
});
export type ImportFields = z.infer<typeof importFieldsSchema>;

/** Reads an upload: multipart/form-data (a browser form) or JSON; size checked before parsing. */
export async function readImportFields(req: Request): Promise<ImportFields> {
  const length = Number(req.headers.get("content-length") ?? "0");
  if (length > MAX_IMPORT_BYTES + 64 * 1024) throw new AppError("validation", "File too large", { text: [`At most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`] });
  let raw: Record<string, unknown>;
  if ((req.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const form = await req.formData().catch(() => {
      throw new AppError("validation", "Not a valid form upload");
    });
    raw = {};
    for (const [key, value] of form.entries()) raw[key === "file" ? "text" : key] = typeof value === "string" ? value : await value.text();
  } else {
    const text = await req.text();
    try {
      raw = z.record(z.string(), z.unknown()).parse(JSON.parse(text || "{}"));
    } catch {
      throw new AppError("validation", "Request body is not a JSON object");
    }
  }
  const parsed = importFieldsSchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/**
 * Imports a report: authorized for the target tenant first (404 across tenants), parsed with
 * field errors (nothing stored on any error), stored in one transaction, audited both ways.
 */
export async function importUpload(db: Db, principal: Principal, fields: ImportFields): Promise<{ id: string }> {
  const tenantId = fields.tenantId ?? null;
  if (tenantId) await assertAllowed(db, principal, "benchmark.import", { tenantId }, { type: "tenant", id: tenantId });
  else await assertAllowed(db, principal, "benchmark.import");
  if (tenantId && !(await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } }))) throw new AppError("not_found", "Not found");
  let imported;
  try {
    imported = parseImport(fields.format, fields.text, fields.name);
  } catch (error) {
    if (error instanceof AppError) {
      await recordAudit(db, principal, { action: "benchmark.import", outcome: "denied", tenantId: tenantId ?? undefined, detail: { format: fields.format, reason: error.message.slice(0, 200) } });
      // The parser's field paths are the file's; the form has one field for the whole file.
      throw new AppError("validation", error.message, { text: [error.message], ...Object.fromEntries(Object.entries(error.fields ?? {}).map(([k, v]) => [`file.${k}`, v])) });
    }
    throw error;
  }
  const run = await importRun(db, principal, imported, {
    tenantId,
    deployment: tenantId && fields.deploymentName ? { namespace: tenantId, name: fields.deploymentName } : null,
    gpuType: fields.gpuType ?? null, gpuCount: fields.gpuCount ?? null, servingLayer: fields.servingLayer ?? null,
  });
  await recordAudit(db, principal, { action: "benchmark.import", outcome: "success", tenantId: tenantId ?? undefined, targetType: "benchmark_run", targetId: run.id, detail: { format: fields.format, steps: imported.steps.length } });
  return run;
}
