import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { DecisionPanel } from "@/components/requests/decision-panel";
import { FileDiff } from "@/components/requests/file-diff";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { getDb } from "@/lib/db/client";
import type { FileChange } from "@/lib/integrations/github/platform-repo";
import { formatCents } from "@/lib/money/cents";
import type { ChangeSummary } from "@/lib/requests/pr-body";
import { listApprovals } from "@/lib/requests/list-requests";

export const metadata: Metadata = { title: "Approvals" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ApprovalsPage({ searchParams }: Props) {
  const principal = await requirePagePrincipal("/approvals");
  const { page: pageParam } = await searchParams;
  const { items: queue, total, page, pages } = await forPage(async () => listApprovals(await getDb(), principal, Number(pageParam ?? 1)));
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Approvals"
        description={`Open pull requests waiting for a platform decision, oldest first${total ? ` · ${total} open, page ${page} of ${pages}` : ""}.`}
      />
      {queue.length === 0 ? <EmptyState title="Nothing to approve" description="Every request has been decided." /> : null}
      {queue.map((r) => {
        const summary = r.summary as ChangeSummary;
        const files = r.files as FileChange[];
        return (
          <Card key={r.id} data-testid={`approval-${r.number}`}>
            <CardHeader>
              <CardTitle>
                <Link href={`/requests/${r.id}`} className="underline-offset-4 hover:underline">
                  #{r.number} {r.title}
                </Link>
              </CardTitle>
              <CardDescription>
                {r.kind} · {r.tenantId} · {r.requesterEmail} · PR #{r.prNumber} · {files.length} files · rendered and schema-validated ·{" "}
                {r.costDeltaCents === null ? "no cost change" : `cost ${r.costDeltaCents >= 0 ? "+" : "−"}${formatCents(Math.abs(r.costDeltaCents))}/month`}
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4">
              <ul className="grid gap-1 text-sm">
                {summary.summaryRows.map(([k, v]) => (
                  <li key={k}>
                    <span className="text-muted-foreground">{k}:</span> {v}
                  </li>
                ))}
              </ul>
              <FileDiff files={files.map((f) => ({ path: f.path, content: f.content, status: f.content === null ? "removed" : "rendered", patch: null }))} />
              {r.requesterId === principal.userId ? (
                <p className="text-sm text-muted-foreground">You requested this; another platform admin must decide.</p>
              ) : r.headSha ? (
                <DecisionPanel requestId={r.id} headSha={r.headSha} />
              ) : null}
            </CardContent>
          </Card>
        );
      })}
      {pages > 1 ? (
        <nav aria-label="Approvals pages" className="flex justify-between text-sm">
          {page > 1 ? <Link href={`/approvals?page=${page - 1}`}>← Previous page</Link> : <span />}
          {page < pages ? <Link href={`/approvals?page=${page + 1}`}>Next page →</Link> : <span />}
        </nav>
      ) : null}
    </div>
  );
}
