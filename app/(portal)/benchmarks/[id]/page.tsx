import type { Metadata } from "next";
import Link from "next/link";
import { fmtDollars, fmtMs, fmtRate, loadLabel, sourceLabel } from "@/components/benchmarks/format";
import { Definitions } from "@/components/benchmarks/definitions";
import { RunCharts } from "@/components/benchmarks/run-charts";
import { RunLive } from "@/components/benchmarks/run-live";
import { SignalsPanel } from "@/components/benchmarks/signals-panel";
import { StepsTable } from "@/components/benchmarks/steps-table";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { getRunDetail } from "@/lib/benchmarks/pages/run-detail";
import { REFERENCE_RUN_ID } from "@/lib/benchmarks/pages/reference";
import { getDb } from "@/lib/db/client";

// A run's name carries its tenant and deployment: not in the title, which renders before authorization.
export const metadata: Metadata = { title: "Benchmark run" };

type Props = { params: Promise<{ id: string }> };

export default async function RunPage({ params }: Props) {
  const { id } = await params;
  const principal = await requirePagePrincipal(`/benchmarks/${id}`);
  const db = await getDb();
  const detail = await forPage(() => getRunDetail(db, principal, id));
  const { run, cost, slo } = detail;
  const active = run.status === "queued" || run.status === "running";
  return (
    <div className="grid gap-4">
      <PageHeader
        title={run.name}
        description={`${run.model ?? "model unknown"} · ${run.servingLayer ?? "serving layer unknown"} · ${run.gpuType ? `${run.gpuCount ?? "?"} × ${run.gpuType}` : "GPU unknown"} · by ${run.createdByEmail}`}
        actions={run.id !== REFERENCE_RUN_ID && run.steps.length > 0 ? <Link className="text-sm underline" href={`/benchmarks/compare?ids=${run.id},${REFERENCE_RUN_ID}`}>Compare with the reference run</Link> : null}
      />
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge variant={run.source === "reference" ? "warning" : "outline"}>{sourceLabel(run.source)}</Badge>
        <Badge variant="secondary" data-testid="run-status">{run.status}</Badge>
        {run.deploymentName ? <span>Deployment <Link className="underline" href={`/t/${run.deploymentNs}/deployments/${run.deploymentName}`}>{run.deploymentNs}/{run.deploymentName}</Link></span> : null}
        {detail.changeRequest ? (
          <span>Configuration from request {detail.changeRequest.href ? <Link className="underline" href={detail.changeRequest.href}>#{detail.changeRequest.number}</Link> : `#${detail.changeRequest.number}`}
            {detail.changeRequest.prUrl ? <> (<a className="underline" href={detail.changeRequest.prUrl}>PR</a>)</> : null}</span>
        ) : null}
      </div>
      {run.source === "reference" ? <Alert>Imported reference data: the platform&apos;s published figures, not a measurement by this portal. Figures that were not published are shown as “—”.</Alert> : null}
      {run.error && run.status !== "cancelled" ? <Alert variant="destructive">Run failed: {run.error}</Alert> : null}
      {active ? <RunLive runId={run.id} initialStatus={run.status} mayCancel={detail.mayCancel} /> : null}
      {run.steps.length > 0 ? (
        <>
          <div className="grid gap-3 md:grid-cols-3">
            <Card>
              <CardHeader><CardTitle className="text-sm">$ per million output tokens at SLO</CardTitle></CardHeader>
              <CardContent data-testid="cost-at-slo">
                {"reason" in cost ? <p className="text-sm text-muted-foreground">{cost.reason}</p> : (
                  <>
                    <p className="text-2xl font-semibold">{fmtDollars(cost.centsPerMillion)}</p>
                    <p className="text-xs text-muted-foreground">{cost.gpuCount} × {cost.gpuType} at {fmtDollars(cost.gpuHourlyCents)}/h ÷ {fmtRate(cost.outputTokensPerS, "output tok/s")} at {loadLabel(run.steps[0]?.loadKind, cost.load)} (highest load meeting the SLO)</p>
                  </>
                )}
              </CardContent>
            </Card>
            <Card>
              <CardHeader><CardTitle className="text-sm">SLO</CardTitle></CardHeader>
              <CardContent className="text-sm">TTFT p95 ≤ {fmtMs(slo.ttftMs)} · TPOT p95 ≤ {fmtMs(slo.itlMs)}{detail.sloFromRun ? "" : " (platform defaults; the run set none)"}</CardContent>
            </Card>
            <Card>
              <CardHeader><CardTitle className="text-sm">Against the baseline</CardTitle></CardHeader>
              <CardContent className="text-sm" data-testid="regressions">
                {!detail.baseline ? <p className="text-muted-foreground">No baseline: the baseline is the previous successful run of the same deployment and sweep kind.</p> : (
                  <>
                    <p>Baseline: <Link className="underline" href={`/benchmarks/${detail.baseline.id}`}>{detail.baseline.name}</Link></p>
                    {detail.regressions.length === 0 ? <p className="text-muted-foreground">No p95 TTFT regression over 10% at the same load.</p> : (
                      <ul className="mt-1 list-disc pl-4">{detail.regressions.map((r) => <li key={r.load}><Badge variant="destructive">regression</Badge> {loadLabel(run.steps[0]?.loadKind, r.load)}: p95 TTFT {fmtMs(r.baseline)} → {fmtMs(r.current)} (+{Math.round(r.change * 100)}%)</li>)}</ul>
                    )}
                  </>
                )}
              </CardContent>
            </Card>
          </div>
          <RunCharts steps={run.steps} />
          <section className="grid gap-2" aria-labelledby="signals">
            <h2 id="signals" className="text-lg font-semibold">Server signals during the run</h2>
            <SignalsPanel runId={run.id} stepWindows={run.steps.map((s) => ({ label: `step ${loadLabel(s.loadKind, s.load)}`, startMs: s.windowStartMs }))} />
          </section>
          <section className="grid gap-2" aria-labelledby="steps">
            <h2 id="steps" className="text-lg font-semibold">Steps</h2>
            <StepsTable steps={run.steps} />
          </section>
        </>
      ) : active ? null : <p className="text-sm text-muted-foreground">No steps were recorded.</p>}
      <Definitions />
    </div>
  );
}
