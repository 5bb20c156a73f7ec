"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Undo2 } from "lucide-react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiFetch, failure } from "@/components/forms/api";

/** Opens a revert pull request for a merged request. */
export function RollbackButton({ requestId }: { requestId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <div className="grid gap-2">
      {error ? (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
      <Button
        variant="outline"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          try {
            const { request } = await apiFetch<{ request: { id: string } }>(`/api/requests/${requestId}/rollback`, { method: "POST", body: {} });
            router.push(`/requests/${request.id}`);
          } catch (e) {
            setError(failure(e).message);
          } finally {
            setPending(false);
          }
        }}
      >
        <Undo2 className="size-4" aria-hidden /> {pending ? "Opening revert PR…" : "Roll back this change"}
      </Button>
    </div>
  );
}
