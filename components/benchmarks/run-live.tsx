"use client";

import { useEffect, useRef } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/forms/api";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { fmtMs, fmtRate } from "./format";

type Progress = { stepIndex: number; stepCount: number; load: number; done: number; total: number | null; elapsedMs: number; plannedMs: number | null; ttftP50Ms: number | null; outputTokensPerS: number | null };
type LiveRun = { status: string; progress: Progress | null; error: string | null; steps: unknown[] };

const ACTIVE = new Set(["queued", "running"]);

/**
 * Live progress of a queued or running run: polled once a second (the worker writes progress
 * at most twice a second), with Cancel. When the run ends the server page is refreshed, so the
 * charts and tables are drawn from the stored result, not from the poll.
 */
export function RunLive({ runId, initialStatus, mayCancel }: { runId: string; initialStatus: string; mayCancel: boolean }) {
  const router = useRouter();
  const refreshed = useRef(false);
  const query = useQuery({
    queryKey: ["benchmark-run", runId],
    queryFn: () => apiFetch<{ run: LiveRun }>(`/api/benchmarks/${runId}`).then((r) => r.run),
    refetchInterval: (q) => (q.state.data && !ACTIVE.has(q.state.data.status) ? false : 1000),
    staleTime: 0,
  });
  const cancel = useMutation({ mutationFn: () => apiFetch(`/api/benchmarks/${runId}/cancel`, { method: "POST" }), onSuccess: () => void query.refetch() });
  const status = query.data?.status ?? initialStatus;
  useEffect(() => {
    if (!ACTIVE.has(status) && ACTIVE.has(initialStatus) && !refreshed.current) {
      refreshed.current = true;
      router.refresh();
    }
  }, [status, initialStatus, router]);
  if (!ACTIVE.has(status)) return null;
  const p = query.data?.progress ?? null;
  const pct = p ? (p.total ? p.done / p.total : p.plannedMs ? Math.min(1, p.elapsedMs / p.plannedMs) : 0) : 0;
  return (
    <div className="grid gap-2 rounded-md border p-3" data-testid="run-progress" aria-live="polite">
      <div className="flex items-center justify-between gap-2">
        <p className="font-medium">{status === "queued" ? "Queued: waiting for the worker" : p ? `Step ${p.stepIndex + 1} of ${p.stepCount} · load ${p.load}` : "Starting…"}</p>
        {mayCancel ? <Button variant="outline" size="sm" disabled={cancel.isPending} onClick={() => cancel.mutate()}>Cancel run</Button> : null}
      </div>
      {p ? (
        <>
          <div className="h-2 w-full overflow-hidden rounded bg-muted"><div className="h-full bg-primary transition-all" style={{ width: `${Math.round(pct * 100)}%` }} /></div>
          <p className="text-sm text-muted-foreground">
            <span data-testid="progress-done">{p.done}</span> requests done{p.total ? ` of ${p.total}` : ""} · TTFT p50 {fmtMs(p.ttftP50Ms)} · {fmtRate(p.outputTokensPerS, "output tok/s")}
          </p>
        </>
      ) : null}
      {cancel.error ? <Alert variant="destructive">{cancel.error.message}</Alert> : null}
    </div>
  );
}
