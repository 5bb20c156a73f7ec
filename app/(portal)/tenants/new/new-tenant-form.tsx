"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { apiFetch, failure, type ApiFailure } from "@/components/forms/api";
import { FormError } from "@/components/forms/form-error";
import { optionalNumber, commaList } from "@/components/forms/form-data";

type Props = { models: { id: string; name: string }[]; durations: string[] };


export function NewTenantForm({ models, durations }: Props) {
  const router = useRouter();
  const [error, setError] = useState<ApiFailure | null>(null);
  const [pending, setPending] = useState(false);
  const fieldError = (name: string) => error?.fields?.[name]?.join(" ");

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await apiFetch("/api/tenants", {
        method: "POST",
        body: {
          slug: String(form.get("slug") ?? ""),
          displayName: String(form.get("displayName") ?? ""),
          memberGroups: commaList(form.get("memberGroups")),
          adminGroups: commaList(form.get("adminGroups")),
          allowedModels: form.getAll("allowedModels").map(String),
          monthlyBudget: Number(form.get("monthlyBudget")),
          budgetDuration: String(form.get("budgetDuration")),
          rpmLimit: optionalNumber(form.get("rpmLimit")),
          tpmLimit: optionalNumber(form.get("tpmLimit")),
          maxKeyDays: Number(form.get("maxKeyDays")),
          costCenter: String(form.get("costCenter") ?? "") || null,
        },
      });
      router.push("/tenants");
      router.refresh();
    } catch (e) {
      setError(failure(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <FormError error={error} />
      <Field label="Slug" htmlFor="slug" error={fieldError("slug")} hint="DNS-1123 label: namespace, LiteLLM team id and URL segment." required>
        <Input name="slug" autoComplete="off" maxLength={63} required />
      </Field>
      <Field label="Display name" htmlFor="displayName" error={fieldError("displayName")} required>
        <Input name="displayName" maxLength={100} required />
      </Field>
      <Field label="Member groups" htmlFor="memberGroups" error={fieldError("memberGroups")} hint="IdP groups whose members are developers, comma-separated.">
        <Input name="memberGroups" autoComplete="off" />
      </Field>
      <Field label="Admin groups" htmlFor="adminGroups" error={fieldError("adminGroups")} hint="IdP groups whose members are tenant admins, comma-separated." required>
        <Input name="adminGroups" autoComplete="off" required />
      </Field>
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Allowed models</legend>
        {models.map((m) => (
          <div key={m.id} className="flex items-center gap-2">
            <Checkbox id={`allowed-${m.id}`} name="allowedModels" value={m.id} />
            <Label htmlFor={`allowed-${m.id}`} className="font-normal">
              {m.name} <code className="text-xs text-muted-foreground">{m.id}</code>
            </Label>
          </div>
        ))}
        {fieldError("allowedModels") ? (
          <p role="alert" className="text-xs font-medium text-destructive">
            {fieldError("allowedModels")}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Budget (USD)" htmlFor="monthlyBudget" error={fieldError("monthlyBudget")} required>
          <Input name="monthlyBudget" type="number" min={0} step="0.01" required />
        </Field>
        <Field label="Budget period" htmlFor="budgetDuration" error={fieldError("budgetDuration")} hint="LiteLLM budget_duration">
          <select name="budgetDuration" defaultValue="1mo" className="h-9 rounded-md border border-input bg-background px-3 text-sm">
            {durations.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Requests / minute cap" htmlFor="rpmLimit" error={fieldError("rpmLimit")}>
          <Input name="rpmLimit" type="number" min={1} />
        </Field>
        <Field label="Tokens / minute cap" htmlFor="tpmLimit" error={fieldError("tpmLimit")}>
          <Input name="tpmLimit" type="number" min={1} />
        </Field>
        <Field label="Longest key lifetime (days)" htmlFor="maxKeyDays" error={fieldError("maxKeyDays")}>
          <Input name="maxKeyDays" type="number" min={1} max={365} defaultValue={90} />
        </Field>
        <Field label="Cost center" htmlFor="costCenter" error={fieldError("costCenter")}>
          <Input name="costCenter" autoComplete="off" />
        </Field>
      </div>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create tenant"}
        </Button>
      </div>
    </form>
  );
}
