"use client";

import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { formatCents } from "@/lib/money/cents";
import type { ApiFailure } from "@/components/forms/api";
import { FormError } from "@/components/forms/form-error";
import { optionalNumber } from "@/components/forms/form-data";

export type KeyPolicy = {
  models: { id: string; name: string }[];
  maxKeyDays: number;
  rpmLimit: number | null;
  tpmLimit: number | null;
  budgetLeftCents: number | null;
};

export type CreateKeyBody = {
  alias: string;
  models: string[];
  expiresInDays: number;
  maxBudget: number | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
};

type Props = {
  policy: KeyPolicy;
  pending: boolean;
  error: ApiFailure | null;
  onSubmit: (body: CreateKeyBody) => Promise<boolean>;
  onClose: () => void;
};


/** Rendered only while open (the page loads it on the first click, see keys-client.tsx). */
export function CreateKeyDialog({ policy, pending, error, onSubmit, onClose }: Props) {
  const fieldError = (name: string) => error?.fields?.[name]?.join(" ");

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const ok = await onSubmit({
      alias: String(form.get("alias") ?? ""),
      models: form.getAll("models").map(String),
      expiresInDays: Number(form.get("expiresInDays")),
      maxBudget: optionalNumber(form.get("maxBudget")),
      rpmLimit: optionalNumber(form.get("rpmLimit")),
      tpmLimit: optionalNumber(form.get("tpmLimit")),
    });
    if (ok) onClose();
  }

  return (
    <Dialog open onOpenChange={(open) => (!open ? onClose() : undefined)}>
      <DialogContent className="max-w-lg">
        <DialogHeader>
          <DialogTitle>Create an API key</DialogTitle>
          <DialogDescription>The key works with the LiteLLM gateway for the models you pick.</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <FormError error={error} />
          <Field label="Alias" htmlFor="alias" error={fieldError("alias")} hint="Letters, digits, '.', '_' and '-'." required>
            <Input name="alias" autoComplete="off" maxLength={64} required autoFocus />
          </Field>
          <fieldset className="grid gap-2" aria-describedby={fieldError("models") ? "models-error" : undefined}>
            <legend className="mb-1 text-sm font-medium">Models</legend>
            {policy.models.map((model) => (
              <div key={model.id} className="flex items-center gap-2">
                <Checkbox id={`model-${model.id}`} name="models" value={model.id} defaultChecked={policy.models.length === 1} />
                <Label htmlFor={`model-${model.id}`} className="font-normal">
                  {model.name} <code className="text-xs text-muted-foreground">{model.id}</code>
                </Label>
              </div>
            ))}
            {fieldError("models") ? (
              <p id="models-error" role="alert" className="text-xs font-medium text-destructive">
                {fieldError("models")}
              </p>
            ) : null}
          </fieldset>
          <Field label="Expires in (days)" htmlFor="expiresInDays" error={fieldError("expiresInDays")} hint={`At most ${policy.maxKeyDays} days.`} required>
            <Input name="expiresInDays" type="number" inputMode="numeric" min={1} max={policy.maxKeyDays} defaultValue={Math.min(30, policy.maxKeyDays)} required />
          </Field>
          <Field
            label="Personal budget (USD, optional)"
            htmlFor="maxBudget"
            error={fieldError("maxBudget")}
            hint={policy.budgetLeftCents === null ? "Leave empty to share the tenant budget." : `Up to ${formatCents(Math.max(0, policy.budgetLeftCents))} left in the tenant.`}
          >
            <Input name="maxBudget" type="number" inputMode="decimal" min={0} step="0.01" />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Requests / minute" htmlFor="rpmLimit" error={fieldError("rpmLimit")} hint={policy.rpmLimit ? `Tenant cap ${policy.rpmLimit}` : "Optional"}>
              <Input name="rpmLimit" type="number" inputMode="numeric" min={1} />
            </Field>
            <Field label="Tokens / minute" htmlFor="tpmLimit" error={fieldError("tpmLimit")} hint={policy.tpmLimit ? `Tenant cap ${policy.tpmLimit}` : "Optional"}>
              <Input name="tpmLimit" type="number" inputMode="numeric" min={1} />
            </Field>
          </div>
          <DialogFooter>
            <Button type="submit" disabled={pending}>
              {pending ? "Creating…" : "Create key"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
