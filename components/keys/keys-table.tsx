"use client";

import Link from "next/link";
import { KeyRound, RefreshCw, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
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
                <ConfirmButton
                  label={`Regenerate ${key.alias}`}
                  title={`Regenerate “${key.alias}”?`}
                  description="A new secret is issued and shown once. The current secret stops working immediately."
                  confirm="Regenerate"
                  icon={<RefreshCw className="size-4" aria-hidden />}
                  disabled={busyId === key.id}
                  onConfirm={() => onRegenerate(key)}
                />
              ) : null}
              {key.status === "active" ? (
                <ConfirmButton
                  label={`Revoke ${key.alias}`}
                  title={`Revoke “${key.alias}”?`}
                  description="Requests with this key are refused from now on. This cannot be undone."
                  confirm="Revoke"
                  destructive
                  icon={<Trash2 className="size-4" aria-hidden />}
                  disabled={busyId === key.id}
                  onConfirm={() => onRevoke(key)}
                />
              ) : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

type ConfirmProps = {
  label: string;
  title: string;
  description: string;
  confirm: string;
  icon: React.ReactNode;
  destructive?: boolean;
  disabled?: boolean;
  onConfirm: () => void;
};

function ConfirmButton({ label, title, description, confirm, icon, destructive, disabled, onConfirm }: ConfirmProps) {
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={label} disabled={disabled}>
          {icon}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction destructive={destructive} onClick={onConfirm}>
            {confirm}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
