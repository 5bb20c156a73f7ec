import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { PageHeader } from "@/components/ui/page-header";
import { forPage, requirePagePrincipal } from "@/lib/auth/page";
import { env } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { getKeyOrThrow } from "@/lib/keys/get-key-or-throw";
import { toKeyView } from "@/lib/keys/list-keys";
import { keySnippets } from "@/lib/keys/snippets";
import { formatCents } from "@/lib/money/cents";

export const metadata: Metadata = { title: "API key" };

type Props = { params: Promise<{ tenant: string; keyId: string }> };

export default async function KeyPage({ params }: Props) {
  const { tenant: tenantId, keyId } = await params;
  const principal = await requirePagePrincipal(`/t/${tenantId}/keys/${keyId}`);
  const db = await getDb();
  const { tokenHash: _hash, ...row } = await forPage(() => getKeyOrThrow(db, principal, tenantId, keyId, "key.view-own"));
  const key = toKeyView(row, null);
  // The secret is never available again; the snippets show where it goes.
  const snippets = keySnippets(env().LITELLM_PUBLIC_URL, "$OPENAI_API_KEY", key.models[0] ?? "");
  const facts: [string, React.ReactNode][] = [
    ["Key", <code key="k">sk-…{key.last4}</code>],
    ["Owner", key.owner.email],
    ["Models", key.models.join(", ")],
    ["Created", key.createdAt.toISOString()],
    ["Expires", key.expiresAt.toISOString()],
    ["Personal budget", key.maxBudgetCents === null ? "shares the tenant budget" : formatCents(key.maxBudgetCents)],
    ["Rate limits", `${key.rpmLimit ?? "—"} rpm · ${key.tpmLimit ?? "—"} tpm`],
  ];
  return (
    <div className="grid gap-6">
      <Link href={`/t/${tenantId}/keys`} className="flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" aria-hidden /> All keys
      </Link>
      <PageHeader title={key.alias} actions={<Badge>{key.status}</Badge>} />
      <Card>
        <CardHeader>
          <CardTitle>Details</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-2 sm:grid-cols-[12rem_1fr]">
            {facts.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-sm text-muted-foreground">{label}</dt>
                <dd className="text-sm">{value}</dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Use it</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3">
          {snippets.map((s) => (
            <CodeBlock key={s.id} title={s.title} code={s.code} language={s.language} />
          ))}
        </CardContent>
      </Card>
    </div>
  );
}
