import type { Metadata } from "next";
import Link from "next/link";
import { Building2, KeyRound } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePrincipal } from "@/lib/auth/page";
import { capabilities, ROLE_LABELS } from "@/lib/auth/describe";
import { getDb } from "@/lib/db/client";
import { modelName } from "@/lib/catalog/models";
import { formatCents } from "@/lib/money/cents";

export const metadata: Metadata = { title: "Home" };

export default async function HomePage() {
  const principal = await requirePagePrincipal("/");
  const db = await getDb();
  const memberOf = [...principal.tenantRoles.keys()];
  const tenants = await db.tenant.findMany({ where: { id: { in: memberOf } }, orderBy: { id: "asc" } });
  const platformRoles = [...principal.platformRoles];

  return (
    <div className="grid gap-6">
      <PageHeader title={`Welcome, ${principal.name ?? principal.email}`} description="Your tenants, your roles and what you can do here." />
      {platformRoles.length ? (
        <Card>
          <CardHeader>
            <CardTitle>Platform roles</CardTitle>
            <CardDescription>Granted by your identity provider groups.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-3">
            {platformRoles.map((role) => (
              <div key={role}>
                <Badge>{ROLE_LABELS[role]}</Badge>
                <ul className="mt-2 list-disc pl-5 text-sm text-muted-foreground">
                  {capabilities(role).map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ul>
              </div>
            ))}
          </CardContent>
          {principal.platformRoles.has("platform-admin") ? (
            <CardFooter>
              <Button asChild variant="outline" size="sm">
                <Link href="/tenants">
                  <Building2 className="size-4" aria-hidden /> Manage tenants
                </Link>
              </Button>
            </CardFooter>
          ) : null}
        </Card>
      ) : null}
      <section aria-labelledby="tenants-heading" className="grid gap-3">
        <h2 id="tenants-heading" className="text-lg font-semibold">
          Your tenants
        </h2>
        {tenants.length === 0 ? (
          <EmptyState title="You are not a member of any tenant" description="Ask your platform team to add one of your groups to a tenant." />
        ) : (
          <div className="grid gap-4 md:grid-cols-2">
            {tenants.map((tenant) => {
              const role = principal.tenantRoles.get(tenant.id)!;
              return (
                <Card key={tenant.id} data-testid={`tenant-card-${tenant.id}`}>
                  <CardHeader>
                    <div className="flex items-center justify-between gap-2">
                      <CardTitle>{tenant.displayName}</CardTitle>
                      <Badge variant="secondary">{ROLE_LABELS[role]}</Badge>
                    </div>
                    <CardDescription>
                      <code>{tenant.id}</code> · budget {formatCents(tenant.monthlyBudgetCents)} / {tenant.budgetDuration}
                    </CardDescription>
                  </CardHeader>
                  <CardContent className="grid gap-2 text-sm">
                    <p>
                      <span className="text-muted-foreground">Models: </span>
                      {tenant.allowedModels.map(modelName).join(", ")}
                    </p>
                    <ul className="list-disc pl-5 text-muted-foreground">
                      {capabilities(role).map((c) => (
                        <li key={c}>{c}</li>
                      ))}
                    </ul>
                  </CardContent>
                  <CardFooter>
                    <Button asChild size="sm">
                      <Link href={`/t/${tenant.id}/keys`}>
                        <KeyRound className="size-4" aria-hidden /> API keys
                      </Link>
                    </Button>
                  </CardFooter>
                </Card>
              );
            })}
          </div>
        )}
      </section>
    </div>
  );
}
