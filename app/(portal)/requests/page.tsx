import type { Metadata } from "next";
import Link from "next/link";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { RequestsTable } from "@/components/requests/requests-table";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { can } from "@/lib/auth/policy";
import { getDb } from "@/lib/db/client";
import { listRequests } from "@/lib/requests/list-requests";

export const metadata: Metadata = { title: "Requests" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RequestsPage({ searchParams }: Props) {
  const principal = await requirePagePrincipal("/requests");
  const query = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v));
  const requests = await forPage(async () => listRequests(await getDb(), principal, query));
  const tenant = typeof query.tenant === "string" ? query.tenant : [...principal.tenantRoles.keys()][0];
  const mayCreate = tenant ? can(principal, "request.create", { tenantId: tenant }) : false;
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Requests"
        description="Changes to the platform, each a GitOps pull request: deployments, model access, budgets, onboarding."
        actions={
          mayCreate || principal.platformRoles.has("platform-admin") ? (
            <Button asChild>
              <Link href={`/requests/new${tenant ? `?tenant=${tenant}` : ""}`}>
                <Plus className="size-4" aria-hidden /> New request
              </Link>
            </Button>
          ) : null
        }
      />
      <RequestsTable requests={requests} label="Requests" />
    </div>
  );
}
