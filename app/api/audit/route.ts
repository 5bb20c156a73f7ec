import { route } from "@/lib/http/route";
import { listAudit } from "@/lib/audit/list-audit";

export const dynamic = "force-dynamic";

export const GET = route("audit.list", async ({ db, principal, req }) => {
  const query = Object.fromEntries(req.nextUrl.searchParams);
  const { events, nextBefore } = await listAudit(db, principal, query);
  return { events, nextBefore };
});
