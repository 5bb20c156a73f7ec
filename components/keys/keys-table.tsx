"use client";

import { useState } from "react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { KeyRound, RefreshCw, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatCents } from "@/lib/money/cents";

export type KeyRow = {
  id: string;
  alias: string;
  last4: string;
  models: string[];
  createdAt: string;
  expiresAt: string;
  status: string;
  spendCents: number | null;
  maxBudgetCents: number | null;
  owner: { id: string; email: string };
};

// The confirmation dialog loads on first use, not with the page.
const ConfirmDialog = dynamic(() => import("./confirm-dialog").then((m) => m.ConfirmDialog), { ssr: false });

type Pending = { key: KeyRow; verb: "Revoke" | "Regenerate" };

const STATUS_VARIANT = { active: "success", revoked: "secondary", expired: "warning", pending: "outline" } as const;
const date = (iso: string) => new Date(iso).toLocaleDateString("en-CA");

type Props = {
  tenantId: string;
  keys: KeyRow[];
  currentUserId: string;
  showOwner: boolean;
  busyId: string | null;
  onRevoke: (key: KeyRow) => void;
  onRegenerate: (key: KeyRow) => void;
};

export function KeysTable({ tenantId, keys, currentUserId, showOwner, busyId, onRevoke, onRegenerate }: Props) {
  const [pending, setPending] = useState<Pending | null>(null);
  if (keys.length === 0) {
    return <EmptyState icon={<KeyRound />} title="No keys yet" description="Create a key to call the tenant's models through the gateway." />;
  }
  return (
    <Table aria-label="API keys">
      <TableHeader>
        <TableRow>
          <TableHead>Alias</TableHead>
          <TableHead>Key</TableHead>
          {showOwner ? <TableHead>Owner</TableHead> : null}
          <TableHead>Models</TableHead>
          <TableHead>Created</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead className="text-right">Spend</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((key) => (
          <TableRow key={key.id} data-testid={`key-row-${key.alias}`}>
            <TableCell className="font-medium">
              <Link href={`/t/${tenantId}/keys/${key.id}`} className="underline-offset-4 hover:underline">
                {key.alias}
              </Link>
            </TableCell>
            <TableCell>
              <code className="text-xs">sk-…{key.last4}</code>
            </TableCell>
            {showOwner ? <TableCell className="text-sm">{key.owner.email}</TableCell> : null}
            <TableCell className="text-xs">{key.models.join(", ")}</TableCell>
            <TableCell className="text-sm">{date(key.createdAt)}</TableCell>
            <TableCell className="text-sm">{date(key.expiresAt)}</TableCell>
            <TableCell className="text-right text-sm tabular-nums">
              {key.spendCents === null ? "—" : formatCents(key.spendCents)}
              {key.maxBudgetCents !== null ? <span className="text-muted-foreground"> / {formatCents(key.maxBudgetCents)}</span> : null}
            </TableCell>
            <TableCell>
              <Badge variant={STATUS_VARIANT[key.status as keyof typeof STATUS_VARIANT] ?? "outline"}>{key.status}</Badge>
            </TableCell>
            <TableCell className="whitespace-nowrap text-right">
              {key.status === "active" && key.owner.id === currentUserId ? (
                <Button variant="ghost" size="icon" aria-label={`Regenerate ${key.alias}`} disabled={busyId === key.id} onClick={() => setPending({ key, verb: "Regenerate" })}>
                  <RefreshCw className="size-4" aria-hidden />
                </Button>
              ) : null}
              {key.status === "active" ? (
                <Button variant="ghost" size="icon" aria-label={`Revoke ${key.alias}`} disabled={busyId === key.id} onClick={() => setPending({ key, verb: "Revoke" })}>
                  <Trash2 className="size-4" aria-hidden />
                </Button>
              ) : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
      {pending ? (
        <ConfirmDialog
          title={`${pending.verb} “${pending.key.alias}”?`}
          description={
            pending.verb === "Revoke"
              ? "Requests with this key are refused from now on. This cannot be undone."
              : "A new secret is issued and shown once. The current secret stops working immediately."
          }
          confirm={pending.verb}
          destructive={pending.verb === "Revoke"}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            setPending(null);
            (pending.verb === "Revoke" ? onRevoke : onRegenerate)(pending.key);
          }}
        />
      ) : null}
    </Table>
  );
}
