import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { platformMetricsScope } from "@/lib/dashboards/scope";
import { getDb } from "@/lib/db/client";
import { getDashboard } from "@/lib/metrics/dashboards";
import { FleetClient } from "./fleet-client";

export const metadata: Metadata = { title: "Fleet" };

export default async function FleetPage() {
  const principal = await requirePagePrincipal("/fleet");
  // Authorized here and again by the API on every fetch: the page alone is not the gate.
  await forPage(async () => platformMetricsScope(await getDb(), principal));
  const dashboard = getDashboard("fleet");
  // The fleet has no deployment of its own: its scaling-signal view borrows the model page's panel.
  const scalingSignal = getDashboard("model").panels.find((p) => p.id === "scaling-signal");
  return (
    <div className="grid gap-2">
      <PageHeader title="Fleet" description="Every GPU and model server of the platform, live from Prometheus." />
      <FleetClient panels={dashboard.panels} scalingSignal={scalingSignal} />
    </div>
  );
}
