import { route } from "@/lib/http/route";
import { getRequestDetail } from "@/lib/requests/get-request-detail";
import { platformFromEnv } from "@/lib/requests/platform";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("requests.get", async ({ db, principal, params }) => {
  const { request, events, diff } = await getRequestDetail(db, platformFromEnv(), principal, params.id);
  const { requesterId: _requester, decidedById: _decider, ...visible } = request;
  return { request: visible, events, diff };
});
