import { readJson, route } from "@/lib/http/route";
import { approveRequest } from "@/lib/requests/decide-request";
import { platformFromEnv } from "@/lib/requests/platform";
import { nudgeWorker } from "@/lib/outbox/worker";

export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>("requests.approve", async ({ db, principal, params, req }) => {
  const result = await approveRequest(db, platformFromEnv().repo, principal, params.id, await readJson(req));
  nudgeWorker();
  return result;
});
