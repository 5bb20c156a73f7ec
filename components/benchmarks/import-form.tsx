"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ApiFailure } from "@/components/forms/api";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

const SELECT = "h-9 rounded-md border border-input bg-background px-2 text-sm";

/** Uploads a vllm / GuideLLM / inference-perf report; a wrong file comes back as a field error. */
export function ImportForm({ tenants, allowPlatform, gpuTypes }: { tenants: string[]; allowPlatform: boolean; gpuTypes: string[] }) {
  const router = useRouter();
  const [error, setError] = useState<ApiFailure | null>(null);
  const [pending, setPending] = useState(false);
  const onSubmit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    setPending(true);
    try {
      const res = await fetch("/api/benchmarks/import", { method: "POST", body: new FormData(e.currentTarget) });
      const body = (await res.json().catch(() => null)) as { id?: string; error?: ApiFailure } | null;
      if (!res.ok || !body?.id) setError(body?.error ?? { message: `Import failed (${res.status})` });
      else router.push(`/benchmarks/${body.id}`);
    } finally {
      setPending(false);
    }
  };
  const fileError = [...(error?.fields?.text ?? []), ...(error && !error.fields ? [error.message] : [])].join("; ") || undefined;
  return (
    <form onSubmit={onSubmit} className="grid gap-3 md:grid-cols-3" aria-label="Import benchmark results" noValidate>
      <Field label="Format" htmlFor="import-format" error={error?.fields?.format?.join("; ")}>
        <select name="format" className={SELECT} defaultValue="vllm">
          <option value="vllm">vllm bench serve (JSON)</option>
          <option value="guidellm">GuideLLM report (JSON)</option>
          <option value="inference-perf">inference-perf report (JSON)</option>
        </select>
      </Field>
      <Field label="Result file" htmlFor="import-file" error={fileError} required>
        <Input name="file" type="file" accept=".json,.jsonl,application/json" required />
      </Field>
      <Field label="Tenant" htmlFor="import-tenant" error={error?.fields?.tenantId?.join("; ")}>
        <select name="tenantId" className={SELECT} defaultValue={allowPlatform ? "" : tenants[0]}>
          {allowPlatform ? <option value="">Platform-wide</option> : null}
          {tenants.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </Field>
      <Field label="Deployment (optional)" htmlFor="import-deployment" error={error?.fields?.deploymentName?.join("; ")}>
        <Input name="deploymentName" placeholder="qwen-chat" />
      </Field>
      <Field label="GPU type" htmlFor="import-gpu" error={error?.fields?.gpuType?.join("; ")}>
        <select name="gpuType" className={SELECT} defaultValue="">
          <option value="">Unknown</option>
          {gpuTypes.map((g) => <option key={g} value={g}>{g}</option>)}
        </select>
      </Field>
      <Field label="GPU count" htmlFor="import-gpu-count" error={error?.fields?.gpuCount?.join("; ")}>
        <Input name="gpuCount" type="number" />
      </Field>
      <Field label="Name (optional)" htmlFor="import-name" error={error?.fields?.name?.join("; ")}>
        <Input name="name" />
      </Field>
      <div className="md:col-span-3">
        <Button type="submit" disabled={pending}>Import</Button>
      </div>
    </form>
  );
}
