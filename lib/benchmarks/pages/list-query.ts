import { z } from "zod";
import { RUN_SOURCES, RUN_STATUSES, type RunFilters } from "../store";
import { validationError } from "@/lib/http/errors";
import { dnsLabel } from "@/lib/gitops/requests";

const blank = (v: unknown) => (v === "" || v === null ? undefined : v);

/** Filters of the runs list, from the URL (page and API share them). */
export const runListQuerySchema = z.object({
  tenantId: z.preprocess(blank, dnsLabel(63).optional()),
  model: z.preprocess(blank, z.string().trim().max(200).optional()),
  source: z.preprocess(blank, z.enum(RUN_SOURCES).optional()),
  status: z.preprocess(blank, z.enum(RUN_STATUSES).optional()),
  deploymentNs: z.preprocess(blank, dnsLabel(63).optional()),
  deploymentName: z.preprocess(blank, dnsLabel(63).optional()),
  limit: z.preprocess(blank, z.coerce.number().int().min(1).max(500).optional()),
});

export function parseRunListQuery(search: URLSearchParams): RunFilters {
  const parsed = runListQuerySchema.safeParse(Object.fromEntries([...search.entries()].filter(([k]) => k in runListQuerySchema.shape)));
  if (!parsed.success) throw validationError(parsed.error);
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as RunFilters;
}

/** `ids=a,b,c`: 2–4 distinct run ids. */
export const compareIdsSchema = z
  .string()
  .transform((s) => [...new Set(s.split(",").map((x) => x.trim()).filter(Boolean))])
  .pipe(z.array(z.uuid("Not a run id")).min(2, "Pick 2 to 4 runs").max(4, "Pick 2 to 4 runs"));
