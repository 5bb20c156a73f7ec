"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { apiFetch, failure, type ApiFailure } from "@/components/forms/api";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { newRunBody, type NewRunForm } from "./new-run-body";

const SELECT = "h-9 rounded-md border border-input bg-background px-2 text-sm";

/** Starts a run; the server enforces the caller's limits and answers with the field at fault. */
export function NewRunForm({ deployments, limits, allowDirect, gpuTypes }: { deployments: string[]; limits: { maxConcurrency: number; maxDurationS: number }; allowDirect: boolean; gpuTypes: string[] }) {
  const router = useRouter();
  const [error, setError] = useState<ApiFailure | null>(null);
  const start = useMutation({
    mutationFn: (body: Record<string, unknown>) => apiFetch<{ id: string }>("/api/benchmarks", { method: "POST", body }),
    onSuccess: ({ id }) => router.push(`/benchmarks/${id}`),
    onError: (e) => setError(failure(e)),
  });
  const fieldError = (...keys: string[]) => {
    const all = Object.entries(error?.fields ?? {}).filter(([k]) => keys.some((key) => k === key || k.startsWith(`${key}.`))).flatMap(([, v]) => v);
    return all.length ? all.join("; ") : undefined;
  };
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    const data = new FormData(e.currentTarget);
    const value = (k: keyof NewRunForm) => String(data.get(k) ?? "");
    const form = Object.fromEntries((["target", "endpoint", "directUrl", "sweepKind", "levels", "stepKind", "stepValue", "warmupS", "promptTokens", "outputTokens", "ttftMs", "itlMs", "name", "gpuType", "gpuCount"] as const).map((k) => [k, value(k)])) as NewRunForm;
    start.mutate(newRunBody(form));
  };
  return (
    <form onSubmit={onSubmit} className="grid gap-3 md:grid-cols-3" aria-label="New benchmark run" noValidate>
      <Field label="Deployment (tenant/name)" htmlFor="bench-target" error={fieldError("target")} required>
        <Input name="target" list="bench-deployments" placeholder="acme/qwen-chat" required />
      </Field>
      <datalist id="bench-deployments">{deployments.map((d) => <option key={d} value={d} />)}</datalist>
      <Field label="Endpoint" htmlFor="bench-endpoint" error={fieldError("endpoint")} hint="Gateway: through LiteLLM with a short-lived key for the tenant">
        <select name="endpoint" className={SELECT} defaultValue="gateway">
          <option value="gateway">Gateway (LiteLLM)</option>
          {allowDirect ? <option value="direct">Direct (serving URL)</option> : null}
        </select>
      </Field>
      {allowDirect ? (
        <Field label="Direct URL (direct runs only)" htmlFor="bench-direct" error={fieldError("directUrl")}>
          <Input name="directUrl" placeholder="http://host:8000" />
        </Field>
      ) : null}
      <Field label="Sweep" htmlFor="bench-sweep" error={fieldError("sweep.kind")}>
        <select name="sweepKind" className={SELECT} defaultValue="concurrency">
          <option value="concurrency">Concurrency</option>
          <option value="rate">Request rate (Poisson, req/s)</option>
        </select>
      </Field>
      <Field label="Levels" htmlFor="bench-levels" error={fieldError("sweep.levels")} hint={`Comma-separated; concurrency at most ${limits.maxConcurrency}`}>
        <Input name="levels" defaultValue="1,2,4,8" />
      </Field>
      <Field label="Each step" htmlFor="bench-step-kind">
        <select name="stepKind" className={SELECT} defaultValue="duration">
          <option value="duration">Duration (s)</option>
          <option value="requests">Requests</option>
        </select>
      </Field>
      <Field label="Step length" htmlFor="bench-step" error={fieldError("step")} hint={`All steps and warm-ups at most ${limits.maxDurationS} s`}>
        <Input name="stepValue" type="number" defaultValue="10" />
      </Field>
      <Field label="Warm-up per step (s)" htmlFor="bench-warmup" error={fieldError("warmupS")}>
        <Input name="warmupS" type="number" defaultValue="0" />
      </Field>
      <Field label="Prompt tokens" htmlFor="bench-prompt" error={fieldError("lengths.promptTokens", "lengths")}>
        <Input name="promptTokens" type="number" defaultValue="256" />
      </Field>
      <Field label="Output tokens" htmlFor="bench-output" error={fieldError("lengths.outputTokens")}>
        <Input name="outputTokens" type="number" defaultValue="128" />
      </Field>
      <Field label="SLO: TTFT (ms)" htmlFor="bench-slo-ttft" error={fieldError("slo.ttftMs")} hint="Both empty: 500 ms and 50 ms (the dashboards' defaults)">
        <Input name="ttftMs" type="number" placeholder="500" />
      </Field>
      <Field label="SLO: ITL/TPOT (ms)" htmlFor="bench-slo-itl" error={fieldError("slo.itlMs")}>
        <Input name="itlMs" type="number" placeholder="50" />
      </Field>
      <Field label="GPU type (if not shipped by the portal)" htmlFor="bench-gpu" error={fieldError("gpuType")}>
        <select name="gpuType" className={SELECT} defaultValue="">
          <option value="">From the deployment&apos;s request</option>
          {gpuTypes.map((g) => <option key={g} value={g}>{g}</option>)}
        </select>
      </Field>
      <Field label="GPU count" htmlFor="bench-gpu-count" error={fieldError("gpuCount")}>
        <Input name="gpuCount" type="number" placeholder="1" />
      </Field>
      <Field label="Name (optional)" htmlFor="bench-name" error={fieldError("name")}>
        <Input name="name" />
      </Field>
      <div className="md:col-span-3 grid gap-2">
        <FormError error={error} />
        {error?.fields ? <p role="alert" className="text-sm text-destructive">{error.message}</p> : null}
        <Button type="submit" disabled={start.isPending} className="w-fit">Start run</Button>
      </div>
    </form>
  );
}
