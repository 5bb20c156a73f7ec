import type { Metadata } from "next";
import Link from "next/link";
import { Download, Printer } from "lucide-react";
import { BudgetTimeline } from "@/components/costs/budget-timeline";
import { DailyCostChartLoader } from "@/components/costs/daily-cost-chart-loader";
import { GpuUsage } from "@/components/costs/gpu-usage";
import { IdleSharingNote } from "@/components/costs/idle-sharing-note";
import { PeriodPicker } from "@/components/costs/period-picker";
import { SpendTable } from "@/components/costs/spend-table";
import { UnitEconomicsTable } from "@/components/costs/unit-economics-table";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { env } from "@/lib/config/env";
import { assertCostViewTenant } from "@/lib/costs/export/access";
import { periodFromQuery, periodQuery, toSearchParams } from "@/lib/costs/export/query";
import { defaultCostHooks } from "@/lib/costs/default-hooks";
import { liveTodayFromEnv } from "@/lib/costs/live-today";
import { tenantCostPage } from "@/lib/costs/tenant-cost-page";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";

// No tenant name in the title: titles must not confirm another tenant exists.
export const metadata: Metadata = { title: "Tenant costs" };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TenantCostsPage({ params, searchParams }: Props) {
  const { tenant: tenantId } = await params;
  const principal = await requirePagePrincipal(`/t/${tenantId}/costs`);
  const db = await getDb();
  // 404 for a tenant the principal has no role in (as for one that does not exist), 403→404 page for developers.
  await forPage(() => assertCostViewTenant(db, principal, tenantId));
  const query = toSearchParams(await searchParams);
  let period;
  try {
    period = periodFromQuery(query);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return <Alert variant="destructive">{error.message}: {Object.values(error.fields ?? {}).flat().join("; ")}</Alert>;
  }
  const config = env();
  const now = new Date();
  const live = period.start <= now && now < period.end ? await liveTodayFromEnv(db, now) : null;
  // DCGM utilization and vLLM output tokens from Prometheus, list prices from LiteLLM; each fails soft with a reason.
  const data = await tenantCostPage(db, tenantId, period, defaultCostHooks(), now, live);
  if (!data) return null;
  const currency = config.COST_CURRENCY;
  const qs = new URLSearchParams(periodQuery(period));
  const month = period.start.toISOString().slice(0, 7);

  return (
    <div className="grid gap-4">
      <PageHeader
        title="Costs"
        description={`${data.tenant.displayName}${data.tenant.costCenter ? ` · cost center ${data.tenant.costCenter}` : ""} · ${data.period.start.slice(0, 10)} to ${data.period.end.slice(0, 10)} (end exclusive, UTC), ${currency}`}
      />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PeriodPicker period={period} action={`/t/${tenantId}/costs`} />
        <div className="flex gap-2">
          <Button asChild variant="outline" size="sm">
            <a href={`/api/costs/tenants/${tenantId}/export.csv?${qs}`} download>
              <Download aria-hidden /> Daily CSV
            </a>
          </Button>
          <Button asChild variant="outline" size="sm">
            <Link href={`/t/${tenantId}/costs/statement?month=${month}`}>
              <Printer aria-hidden /> Statement {month}
            </Link>
          </Button>
        </div>
      </div>
      <IdleSharingNote idleSharing={config.COST_IDLE_SHARING} />
      {data.live && (data.live.infra || data.live.spend) ? (
        <Alert variant="warning" data-testid="live-error">
          Today&apos;s live figures are partly missing: {[data.live.infra, data.live.spend].filter(Boolean).join("; ")}.
        </Alert>
      ) : null}
      <Section title="Daily cost by category">
        {data.daily.length ? (
          <DailyCostChartLoader daily={data.daily} currency={currency} />
        ) : (
          <p className="text-sm text-muted-foreground">No stored day in this period yet: the worker stores daily snapshots; the first appears after the first closed day.</p>
        )}
      </Section>
      <Section title="GPU: requested vs used">
        <GpuUsage gpu={data.gpu} gpuCents={data.daily.reduce((s, d) => s + d.gpuCents, 0)} currency={currency} />
      </Section>
      <Section title="Cost per million output tokens">
        <UnitEconomicsTable rows={data.unitEconomics} currency={currency} />
        {[data.unitEconomicsUnavailable.outputTokens, data.unitEconomicsUnavailable.listPrices].filter(Boolean).map((reason) => (
          <p key={reason} className="text-xs text-muted-foreground">
            Not available: {reason}
          </p>
        ))}
      </Section>
      <Section title="Budget">
        <BudgetTimeline budget={data.budget} currency={currency} />
      </Section>
      <div className="grid gap-4 lg:grid-cols-2">
        <Section title="Spend by model">
          <SpendTable lines={data.spendByModel} label="Model" currency={currency} emptyText="No token spend in this period." />
        </Section>
        <Section title="Spend by key">
          <SpendTable lines={data.spendByKey} label="Key (hash)" currency={currency} emptyText="No token spend in this period." />
        </Section>
        <Section title="Spend by user">
          <SpendTable lines={data.spendByUser} label="User" currency={currency} emptyText="No token spend in this period." />
        </Section>
      </div>
    </div>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card className="gap-3 py-4">
      <CardHeader className="px-4">
        <CardTitle asHeading="h2">{title}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2 px-4">{children}</CardContent>
    </Card>
  );
}
