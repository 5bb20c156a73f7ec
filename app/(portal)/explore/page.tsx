import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { assertAllowed } from "@/lib/auth/guard";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { getDb } from "@/lib/db/client";
import { ExploreClient } from "./explore-client";

export const metadata: Metadata = { title: "Explore" };

export default async function ExplorePage() {
  const principal = await requirePagePrincipal("/explore");
  await forPage(async () => assertAllowed(await getDb(), principal, "metrics.explore"));
  return (
    <div className="grid gap-2">
      <PageHeader title="Explore" description="Raw PromQL against the platform's Prometheus: every tenant's series, read-only. Platform admins only." />
      <ExploreClient />
    </div>
  );
}
