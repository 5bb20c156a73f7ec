import { json, readJson, route } from "@/lib/http/route";
import { listRequests } from "@/lib/requests/list-requests";
import { submitRequest } from "@/lib/requests/submit-request";
import { nudgeWorker } from "@/lib/outbox/worker";
import { platformFromEnv } from "@/lib/requests/platform";

export const dynamic = "force-dynamic";

export const GET = route("requests.list", async ({ db, principal, req }) => ({
  requests: await listRequests(db, principal, Object.fromEntries(req.nextUrl.searchParams)),
}));

export const POST = route("requests.submit", async ({ db, principal, req }) => {
  const request = await submitRequest(db, platformFromEnv().repo, principal, await readJson(req));
  nudgeWorker();
  return json({ request: { id: request.id, number: request.number, status: request.status, branch: request.branch } }, 201);
});
