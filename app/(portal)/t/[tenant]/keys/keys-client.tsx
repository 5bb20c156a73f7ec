"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { apiFetch, failure, type ApiFailure, type Issued } from "@/components/forms/api";
import type { CreateKeyBody, KeyPolicy } from "@/components/keys/create-key-dialog";
import { Button } from "@/components/ui/button";
import { Plus } from "lucide-react";
import { KeysTable, type KeyRow } from "@/components/keys/keys-table";
import dynamic from "next/dynamic";

// The one-time secret dialog (tabs, code blocks, copy) is needed only after a key is issued:
// loading it then keeps it out of the page's first-load JavaScript.
const SecretDialog = dynamic(() => import("@/components/keys/secret-dialog").then((m) => m.SecretDialog), { ssr: false });
// Likewise the create form and its dialog machinery: fetched when the button is first pressed.
const CreateKeyDialog = dynamic(() => import("@/components/keys/create-key-dialog").then((m) => m.CreateKeyDialog), { ssr: false });
import type { Snippet } from "@/lib/keys/snippets";

type Props = {
  tenantId: string;
  currentUserId: string;
  initialKeys: unknown[];
  showOwner: boolean;
  canCreate: boolean;
  policy: KeyPolicy;
  /** The page's cursor: refetches stay on the same page of keys. */
  before?: string;
};

type IssuedBody = { secret: string; snippets: Snippet[]; key: { alias?: string } };

export function KeysClient({ tenantId, currentUserId, initialKeys, showOwner, canCreate, policy, before }: Props) {
  const base = `/api/tenants/${encodeURIComponent(tenantId)}/keys`;
  const queryClient = useQueryClient();
  const [issued, setIssued] = useState<Issued | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [createError, setCreateError] = useState<ApiFailure | null>(null);
  const [creating, setCreating] = useState(false);

  // Server-rendered rows hydrate the query; Dates were serialized to strings on the way.
  const keys = useQuery({
    queryKey: ["keys", tenantId, before ?? null],
    queryFn: async () => (await apiFetch<{ keys: KeyRow[] }>(before ? `${base}?before=${encodeURIComponent(before)}` : base)).keys,
    initialData: JSON.parse(JSON.stringify(initialKeys)) as KeyRow[],
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["keys", tenantId] });

  const create = useMutation({
    mutationFn: (body: CreateKeyBody) => apiFetch<IssuedBody>(base, { method: "POST", body }),
    onSuccess: (data, body) => {
      setCreateError(null);
      setIssued({ secret: data.secret, snippets: data.snippets, alias: body.alias });
      void refresh();
    },
    onError: (error) => setCreateError(failure(error)),
  });
  const revoke = useMutation({
    mutationFn: (key: KeyRow) => apiFetch(`${base}/${key.id}/revoke`, { method: "POST" }),
    onSuccess: () => void refresh(),
    onError: (error) => setActionError(failure(error).message),
  });
  const regenerate = useMutation({
    mutationFn: (key: KeyRow) => apiFetch<IssuedBody>(`${base}/${key.id}/regenerate`, { method: "POST" }),
    onSuccess: (data, key) => {
      setIssued({ secret: data.secret, snippets: data.snippets, alias: key.alias });
      void refresh();
    },
    onError: (error) => setActionError(failure(error).message),
  });

  const busyId = revoke.isPending ? (revoke.variables?.id ?? null) : regenerate.isPending ? (regenerate.variables?.id ?? null) : null;

  return (
    <div className="grid gap-4">
      <div className="flex justify-end">
        {canCreate ? (
          <Button onClick={() => setCreating(true)}>
            <Plus className="size-4" aria-hidden /> Create key
          </Button>
        ) : null}
        {creating ? (
          <CreateKeyDialog
            policy={policy}
            pending={create.isPending}
            error={createError}
            onClose={() => {
              setCreating(false);
              setCreateError(null);
            }}
            onSubmit={async (body) => {
              setCreateError(null);
              try {
                await create.mutateAsync(body);
                return true;
              } catch {
                return false;
              }
            }}
          />
        ) : null}
      </div>
      {actionError ? (
        <Alert variant="destructive">
          <AlertDescription>{actionError}</AlertDescription>
        </Alert>
      ) : null}
      <KeysTable
        tenantId={tenantId}
        keys={keys.data}
        currentUserId={currentUserId}
        showOwner={showOwner}
        busyId={busyId}
        onRevoke={(key) => {
          setActionError(null);
          revoke.mutate(key);
        }}
        onRegenerate={(key) => {
          setActionError(null);
          regenerate.mutate(key);
        }}
      />
      {issued ? <SecretDialog issued={issued} onClose={() => setIssued(null)} /> : null}
    </div>
  );
}
