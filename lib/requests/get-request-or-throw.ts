import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import type { Action } from "@/lib/auth/policy";
import { assertAllowed } from "@/lib/auth/guard";
import { notFound } from "@/lib/http/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A request, if the principal may perform `action` on its tenant; the tenant comes from the row. */
export async function getRequestOrThrow(db: Db, principal: Principal, requestId: string, action: Action) {
  if (!UUID.test(requestId)) throw notFound();
  const request = await db.changeRequest.findUnique({ where: { id: requestId } });
  if (!request) throw notFound();
  await assertAllowed(db, principal, action, { tenantId: request.tenantId }, { type: "request", id: requestId });
  return request;
}
