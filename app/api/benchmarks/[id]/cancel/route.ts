import { route } from "@/lib/http/route";
import { benchmarkScope } from "@/lib/benchmarks/scope";
import { requestCancel } from "@/lib/benchmarks/store";

export const dynamic = "force-dynamic";

// Audited by the use-case; a run the caller cannot see is a 404, one they may only read a 403.
export const POST = route<{ id: string }>("benchmarks.cancel", async ({ db, principal, params }) => {
  await requestCancel(db, principal, benchmarkScope(principal), params.id);
  return { ok: true };
});
