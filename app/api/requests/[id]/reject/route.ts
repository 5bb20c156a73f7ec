import { readJson, route } from "@/lib/http/route";
import { rejectRequest } from "@/lib/requests/decide-request";
import { platformFromEnv } from "@/lib/requests/platform";

export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>("requests.reject", async ({ db, principal, params, req }) => {
  await rejectRequest(db, platformFromEnv().repo, principal, params.id, await readJson(req));
  return { status: "rejected" };
});
