import { AppError } from "@/lib/http/errors";
import { IntegrationError } from "@/lib/integrations/http";

/**
 * LiteLLM's key_alias is unique across the whole proxy; the portal's alias only within a tenant
 * and only among live keys. The key id suffix keeps a reused alias from colliding with a key
 * LiteLLM may still hold while it is being cleaned up.
 */
export function litellmKeyAlias(tenantId: string, alias: string, keyId: string): string {
  return `${tenantId}/${alias}/${keyId.slice(0, 8)}`;
}

/** LiteLLM's refusal, in words a developer can act on; never a stack trace or upstream body. */
export function toUserError(error: unknown): unknown {
  if (!(error instanceof IntegrationError)) return error;
  if (error.ambiguous) {
    return new AppError("upstream", "LiteLLM did not confirm the change. Nothing was kept; please try again.");
  }
  if (error.upstreamType === "budget_exceeded" || /budget/i.test(error.message)) {
    return new AppError("validation", `LiteLLM refused: ${error.message}`, { maxBudget: [error.message] });
  }
  if (error.status === 429) return new AppError("rate_limited", "LiteLLM is rate limiting; try again shortly");
  return new AppError("upstream", `LiteLLM refused the request: ${error.message}`);
}
