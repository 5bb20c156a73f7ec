"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Check, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { apiFetch, failure, type ApiFailure } from "@/components/forms/api";
import { FormError } from "@/components/forms/form-error";

/** Approve (pinned to the head SHA shown) or reject, both with a reason. */
export function DecisionPanel({ requestId, headSha }: { requestId: string; headSha: string }) {
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ApiFailure | null>(null);
  const [pending, setPending] = useState<"approve" | "reject" | null>(null);

  async function decide(decision: "approve" | "reject") {
    setPending(decision);
    setError(null);
    try {
      await apiFetch(`/api/requests/${requestId}/${decision}`, { method: "POST", body: decision === "approve" ? { headSha, reason } : { reason } });
      router.refresh();
    } catch (e) {
      setError(failure(e));
    } finally {
      setPending(null);
    }
  }

  return (
    <div className="grid gap-3" data-testid="decision-panel">
      <FormError error={error} />
      <Field label="Reason" htmlFor={`reason-${requestId}`} error={error?.fields?.reason?.join(" ")} hint={`Approving merges head ${headSha.slice(0, 7)} exactly.`}>
        <Textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={1000} />
      </Field>
      <div className="flex gap-2">
        <Button onClick={() => decide("approve")} disabled={pending !== null}>
          <Check className="size-4" aria-hidden /> {pending === "approve" ? "Merging…" : "Approve and merge"}
        </Button>
        <Button variant="outline" onClick={() => decide("reject")} disabled={pending !== null}>
          <X className="size-4" aria-hidden /> {pending === "reject" ? "Rejecting…" : "Reject"}
        </Button>
      </div>
    </div>
  );
}
