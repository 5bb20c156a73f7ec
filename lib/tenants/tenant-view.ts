import { z } from "zod";

/** A tenant as the API shows it. */
export const tenantView = z.object({
  id: z.string(),
  displayName: z.string(),
  allowedModels: z.array(z.string()),
  monthlyBudgetCents: z.number().int(),
  budgetDuration: z.string(),
  rpmLimit: z.number().int().nullable(),
  tpmLimit: z.number().int().nullable(),
  maxKeyDays: z.number().int(),
  costCenter: z.string().nullable(),
  status: z.string(),
  createdAt: z.date(),
  groups: z.array(z.object({ group: z.string(), role: z.string() })),
});
