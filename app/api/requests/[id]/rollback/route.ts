import { json, route } from "@/lib/http/route";
import { rollbackRequest } from "@/lib/requests/rollback-request";
import { platformFromEnv } from "@/lib/requests/platform";
import { nudgeWorker } from "@/lib/outbox/worker";

export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>("requests.rollback", async ({ db, principal, params }) => {
  const request = await rollbackRequest(db, platformFromEnv().repo, principal, params.id);
  nudgeWorker();
  return json({ request: { id: request.id, number: request.number, status: request.status } }, 201);
});
