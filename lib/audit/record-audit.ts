import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { scrub } from "@/lib/observability/scrub";

export type AuditInput = {
  action: string;
  outcome: "success" | "denied" | "failure";
  tenantId?: string | null;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
};

type Writer = Pick<Db, "auditEvent">;

/** Actor and request id come from the principal the gate built; callers only say what happened. */
export async function recordAudit(db: Writer, actor: Principal | null, input: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      requestId: actor?.requestId ?? null,
      actorId: actor?.userId ?? null,
      actorEmail: actor?.email ?? "system",
      tenantId: input.tenantId ?? null,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      outcome: input.outcome,
      detail: input.detail ? (scrub(input.detail) as object) : undefined,
    },
  });
}
