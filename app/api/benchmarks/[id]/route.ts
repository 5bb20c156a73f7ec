import { route } from "@/lib/http/route";
import { benchmarkScope } from "@/lib/benchmarks/scope";
import { getRun } from "@/lib/benchmarks/store";
import { publicRun } from "@/lib/benchmarks/pages/public-run";

export const dynamic = "force-dynamic";

// Polled by the run page (≤ 1/s) while a run is queued or running: status, progress, steps so far.
export const GET = route<{ id: string }>("benchmarks.get", async ({ db, principal, params }) => {
  const run = await getRun(db, benchmarkScope(principal), params.id);
  return { run: publicRun(run) };
});
