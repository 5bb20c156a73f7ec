import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/http/errors";
import { authorize, type Action, type Resource } from "./policy";
import type { Principal } from "./principal";

/**
 * Authorizes or throws. A refusal is audited (who tried what) and surfaces as 404 when the
 * thing must stay invisible to this principal, 403 when only the role is too low.
 */
export async function assertAllowed(
  db: Db,
  principal: Principal,
  action: Action,
  resource: Resource = {},
  target?: { type: string; id: string },
): Promise<void> {
  const decision = authorize(principal, action, resource);
  if (decision.allowed) return;
  await recordAudit(db, principal, {
    action,
    outcome: "denied",
    tenantId: resource.tenantId,
    targetType: target?.type,
    targetId: target?.id,
    detail: { status: decision.status },
  });
  throw decision.status === 404
    ? new AppError("not_found", "Not found")
    : new AppError("forbidden", "Your role does not allow this");
}
