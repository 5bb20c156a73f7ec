import { z } from "zod";
import { MODEL_IDS } from "@/lib/catalog/models";
import { dollarAmount } from "@/lib/money/dollar-amount";

/** Kubernetes DNS-1123 label: the tenant slug becomes a namespace, a team id and a path segment. */
export const dns1123Label = z
  .string()
  .min(1, "Required")
  .max(63, "At most 63 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "Lowercase letters, digits and '-', starting and ending with a letter or digit");

const groupName = z
  .string()
  .trim()
  .min(1, "Group names cannot be empty")
  .max(128, "At most 128 characters")
  .regex(/^[\p{L}\p{N}_.@:/ -]+$/u, "Letters, digits and . _ - @ : / only");

const uniqueList = <T extends z.ZodType<string>>(item: T) =>
  z.array(item).refine((list) => new Set(list).size === list.length, "Contains duplicates");

export const BUDGET_DURATIONS = ["1mo", "30d", "7d", "1d"] as const;

export const createTenantInput = z.object({
  slug: dns1123Label,
  displayName: z.string().trim().min(1, "Required").max(100, "At most 100 characters"),
  memberGroups: uniqueList(groupName).max(20),
  adminGroups: uniqueList(groupName).min(1, "At least one admin group").max(20),
  allowedModels: uniqueList(z.enum(MODEL_IDS, { error: "Not a model of the catalog" })).min(1, "Pick at least one model"),
  monthlyBudget: dollarAmount,
  budgetDuration: z.enum(BUDGET_DURATIONS).default("1mo"),
  rpmLimit: z.number().int().positive().max(1_000_000).nullable().default(null),
  tpmLimit: z.number().int().positive().max(1_000_000_000).nullable().default(null),
  maxKeyDays: z.number().int().min(1).max(365).default(90),
  costCenter: z.string().trim().max(64).regex(/^[\w.-]*$/, "Letters, digits, '.', '_' and '-' only").nullable().default(null),
});
export type CreateTenantInput = z.input<typeof createTenantInput>;
