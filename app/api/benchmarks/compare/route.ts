import { route } from "@/lib/http/route";
import { compareRuns } from "@/lib/benchmarks/analysis";
import { benchmarkScope } from "@/lib/benchmarks/scope";
import { compareIdsSchema } from "@/lib/benchmarks/pages/list-query";
import { validationError } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

// 2–4 runs; any one not visible to the reader makes the whole answer the same 404.
export const GET = route("benchmarks.compare", async ({ db, principal, req }) => {
  const ids = compareIdsSchema.safeParse(req.nextUrl.searchParams.get("ids") ?? "");
  if (!ids.success) throw validationError(ids.error);
  return { series: await compareRuns(db, benchmarkScope(principal), ids.data) };
});
