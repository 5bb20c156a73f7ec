import type { FieldErrors } from "@/lib/http/errors";
import { formatCents } from "@/lib/money/cents";
import type { CreateKeyInput } from "./schemas";

type TenantPolicy = {
  id: string;
  allowedModels: string[];
  maxKeyDays: number;
  rpmLimit: number | null;
  tpmLimit: number | null;
};

/** Field errors for a key request that the tenant's policy does not allow (empty = fine). */
export function checkAgainstTenant(input: CreateKeyInput, tenant: TenantPolicy, budgetLeftCents: number): FieldErrors {
  const fields: FieldErrors = {};
  const add = (field: string, message: string) => (fields[field] ??= []).push(message);

  const notAllowed = input.models.filter((m) => !tenant.allowedModels.includes(m));
  if (notAllowed.length) add("models", `Not allowed for ${tenant.id}: ${notAllowed.join(", ")}`);
  if (input.expiresInDays > tenant.maxKeyDays) add("expiresInDays", `At most ${tenant.maxKeyDays} days for ${tenant.id}`);
  if (tenant.rpmLimit !== null && input.rpmLimit !== null && input.rpmLimit > tenant.rpmLimit) {
    add("rpmLimit", `At most ${tenant.rpmLimit} (the tenant's cap)`);
  }
  if (tenant.tpmLimit !== null && input.tpmLimit !== null && input.tpmLimit > tenant.tpmLimit) {
    add("tpmLimit", `At most ${tenant.tpmLimit} (the tenant's cap)`);
  }
  if (input.maxBudget !== null && Math.round(input.maxBudget * 100) > budgetLeftCents) {
    add("maxBudget", `At most ${formatCents(Math.max(0, budgetLeftCents))} (what ${tenant.id} has left)`);
  }
  return fields;
}
