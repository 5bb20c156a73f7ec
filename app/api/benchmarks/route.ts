import { json, readJson, route } from "@/lib/http/route";
import { benchmarkScope } from "@/lib/benchmarks/scope";
import { listRuns } from "@/lib/benchmarks/store";
import { parseRunListQuery } from "@/lib/benchmarks/pages/list-query";
import { publicRun } from "@/lib/benchmarks/pages/public-run";
import { startRunInputSchema } from "@/lib/benchmarks/pages/start-run-input";
import { startRun } from "@/lib/benchmarks/pages/start-run";

export const dynamic = "force-dynamic";

// The list is read through the reader's benchmark scope: members see their tenants' runs and
// the reference runs, finance and strangers an empty list (the scope, not a filter, decides).
export const GET = route("benchmarks.list", async ({ db, principal, req }) => {
  const runs = await listRuns(db, benchmarkScope(principal), parseRunListQuery(req.nextUrl.searchParams));
  return { runs: runs.map(publicRun) };
});

// Queues a run for the worker; 404 for another tenant's deployment, 422 with fields over limits.
export const POST = route("benchmarks.start", async ({ db, principal, req }) => {
  const input = startRunInputSchema.parse(await readJson(req));
  const run = await startRun(db, principal, input);
  return json(run, 201);
});
