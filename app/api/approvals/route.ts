import { route } from "@/lib/http/route";
import { listApprovals } from "@/lib/requests/list-requests";

export const dynamic = "force-dynamic";

export const GET = route("approvals.list", async ({ db, principal, req }) => {
  const { items, total, page, pages } = await listApprovals(db, principal, Number(req.nextUrl.searchParams.get("page") ?? 1));
  return {
    approvals: items.map(({ requesterId: _r, files, ...r }) => ({ ...r, fileCount: (files as unknown[]).length })),
    total,
    page,
    pages,
  };
});
