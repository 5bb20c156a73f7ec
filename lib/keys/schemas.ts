import { z } from "zod";
import { dollarAmount } from "@/lib/money/dollar-amount";

export const keyAlias = z
  .string()
  .trim()
  .min(1, "Required")
  .max(64, "At most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Letters, digits, '.', '_' and '-' only, starting with a letter or digit");

/** Shape-only checks; limits that depend on the tenant are applied in `checkAgainstTenant`. */
export const createKeyInput = z.object({
  alias: keyAlias,
  models: z
    .array(z.string().min(1).max(128))
    .min(1, "Pick at least one model")
    .max(50)
    .refine((list) => new Set(list).size === list.length, "Contains duplicates"),
  expiresInDays: z.number({ error: "Enter a number of days" }).int("Whole days only").min(1, "At least 1 day"),
  maxBudget: dollarAmount.refine((v) => v > 0, "Must be more than 0").nullable().default(null),
  rpmLimit: z.number().int("Whole numbers only").positive("Must be more than 0").nullable().default(null),
  tpmLimit: z.number().int("Whole numbers only").positive("Must be more than 0").nullable().default(null),
});
export type CreateKeyInput = z.output<typeof createKeyInput>;

export const keyStatus = z.enum(["pending", "active", "revoked", "failed", "expired"]);

/** What leaves the API about a key: never the secret, never the hash. */
export const keyView = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  alias: z.string(),
  last4: z.string().length(4),
  models: z.array(z.string()),
  maxBudgetCents: z.number().int().nullable(),
  rpmLimit: z.number().int().nullable(),
  tpmLimit: z.number().int().nullable(),
  createdAt: z.date(),
  expiresAt: z.date(),
  status: keyStatus,
  spendCents: z.number().int().nullable(),
  owner: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }),
});
export type KeyView = z.infer<typeof keyView>;
