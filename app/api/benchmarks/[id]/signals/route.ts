import { route } from "@/lib/http/route";
import { runSignals } from "@/lib/benchmarks/pages/signals";

export const dynamic = "force-dynamic";

// Prometheus over the run's window, in the run's tenant scope re-authorized for this reader.
export const GET = route<{ id: string }>("benchmarks.signals", async ({ db, principal, params, req }) => {
  const width = Number(req.nextUrl.searchParams.get("width") ?? "900");
  return runSignals(db, principal, params.id, Number.isFinite(width) ? Math.min(Math.max(Math.round(width), 200), 2000) : 900);
});
