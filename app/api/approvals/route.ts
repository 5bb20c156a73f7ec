import { route } from "@/lib/http/route";
import { listApprovals } from "@/lib/requests/list-requests";

export const dynamic = "force-dynamic";

export const GET = route("approvals.list", async ({ db, principal }) => ({
  approvals: (await listApprovals(db, principal)).map(({ requesterId: _r, files, ...r }) => ({ ...r, fileCount: (files as unknown[]).length })),
}));
