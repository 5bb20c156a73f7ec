import type { Metadata } from "next";
import Link from "next/link";
import { ExternalLink } from "lucide-react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { DecisionPanel } from "@/components/requests/decision-panel";
import { FileDiff } from "@/components/requests/file-diff";
import { RollbackButton } from "@/components/requests/rollback-button";
import { RequestStatusBadge } from "@/components/requests/status-badge";
import { RequestTimeline } from "@/components/requests/timeline";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { getDb } from "@/lib/db/client";
import { formatCents } from "@/lib/money/cents";
import { getRequestDetail } from "@/lib/requests/get-request-detail";
import { platformFromEnv } from "@/lib/requests/platform";

export const metadata: Metadata = { title: "Request" };

type Props = { params: Promise<{ id: string }> };

export default async function RequestPage({ params }: Props) {
  const { id } = await params;
  const principal = await requirePagePrincipal(`/requests/${id}`);
  const db = await getDb();
  const { request, summary, events, diff, mayDecide, mayRollback } = await forPage(() => getRequestDetail(db, platformFromEnv(), principal, id));

  return (
    <div className="grid gap-6">
      <PageHeader
        title={`#${request.number} ${request.title}`}
        description={`${request.kind} · ${request.tenantId} · requested by ${request.requesterEmail}`}
        actions={<RequestStatusBadge status={request.status} />}
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="grid min-w-0 gap-6">
          <Card>
            <CardHeader>
              <CardTitle>Change</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-3 text-sm">
              <dl className="grid gap-1 sm:grid-cols-[14rem_1fr]">
                {summary.summaryRows.map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-muted-foreground">{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
                {request.costDeltaCents !== null ? (
                  <div className="contents">
                    <dt className="text-muted-foreground">Cost delta per month</dt>
                    <dd className="tabular-nums">
                      {request.costDeltaCents >= 0 ? "+" : "−"}
                      {formatCents(Math.abs(request.costDeltaCents))}
                    </dd>
                  </div>
                ) : null}
              </dl>
              {request.prUrl ? (
                <a href={request.prUrl} className="flex items-center gap-1 text-primary underline-offset-4 hover:underline" data-testid="pr-link">
                  Pull request #{request.prNumber} <ExternalLink className="size-3" aria-hidden />
                </a>
              ) : (
                <p className="text-muted-foreground">The pull request is being opened.</p>
              )}
              {request.failureReason ? <p className="text-destructive" data-testid="failure-reason">{request.failureReason}</p> : null}
            </CardContent>
          </Card>
          <section aria-labelledby="diff-heading" className="grid gap-3">
            <h2 id="diff-heading" className="text-lg font-semibold">
              Files
            </h2>
            <FileDiff files={diff} />
          </section>
        </div>
        <aside className="grid content-start gap-6">
          {mayDecide && request.status === "submitted" && request.headSha ? (
            <Card>
              <CardHeader>
                <CardTitle>Decision</CardTitle>
              </CardHeader>
              <CardContent>
                <DecisionPanel requestId={request.id} headSha={request.headSha} />
              </CardContent>
            </Card>
          ) : null}
          {mayRollback ? <RollbackButton requestId={request.id} /> : null}
          <Card>
            <CardHeader>
              <CardTitle>Timeline</CardTitle>
            </CardHeader>
            <CardContent>
              <RequestTimeline events={events} />
            </CardContent>
          </Card>
          <Link href={`/requests?tenant=${request.tenantId}`} className="text-sm text-muted-foreground hover:text-foreground">
            ← All requests of {request.tenantId}
          </Link>
        </aside>
      </div>
    </div>
  );
}
