"use client";

import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { apiFetch, failure, type ApiFailure } from "@/components/forms/api";
import { ModelChecklist, NativeSelect } from "@/components/requests/form-controls";
import { costEstimate, fitProblems, type GpuTypeId } from "@/lib/catalog/gpus";
import { formatCents } from "@/lib/money/cents";
import { FormError } from "@/components/forms/form-error";
import { optionalNumber, numberOrUndefined, commaList } from "@/components/forms/form-data";

type Tenant = { id: string; displayName: string; allowedModels: string[]; monthlyBudgetCents: number; rpmLimit: number | null; tpmLimit: number | null };
type Model = { id: string; name: string; parametersB: number; contextLength: number; weightsGb: number; gpuTypes: string[] };
type Gpu = { id: string; name: string; memoryGb: number };
type Props = { tenants: Tenant[]; initialTenant?: string; mayOnboard: boolean; models: Model[]; gpus: Gpu[] };


export function NewRequestForm({ tenants, initialTenant, mayOnboard, models, gpus }: Props) {
  const router = useRouter();
  const [kind, setKind] = useState(tenants.length ? "model-deployment" : "tenant-onboarding");
  const [tenantId, setTenantId] = useState(initialTenant ?? "");
  const [error, setError] = useState<ApiFailure | null>(null);
  const [pending, setPending] = useState(false);
  const [deployment, setDeployment] = useState({ model: models[0]?.id ?? "", servingLayer: "vllm", gpuType: gpus[0]?.id ?? "", gpusPerReplica: 1, minReplicas: 1, maxReplicas: 2 });
  const tenant = tenants.find((t) => t.id === tenantId);
  const fieldError = (name: string) => error?.fields?.[name]?.join(" ");

  const fit = useMemo(() => fitProblems(deployment.model, deployment.gpuType, deployment.gpusPerReplica), [deployment]);
  const cost = useMemo(() => {
    if (fit.gpuType || fit.gpusPerReplica || deployment.maxReplicas < deployment.minReplicas) return null;
    return costEstimate({ ...deployment, gpuType: deployment.gpuType as GpuTypeId, servingLayer: deployment.servingLayer as "vllm" });
  }, [deployment, fit]);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = bodyFor(kind, tenantId, form);
    setPending(true);
    setError(null);
    try {
      const { request } = await apiFetch<{ request: { id: string } }>("/api/requests", { method: "POST", body });
      router.push(`/requests/${request.id}`);
    } catch (e) {
      setError(failure(e));
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="grid gap-5" noValidate>
      <FormError error={error} />
      {error?.fields ? (
        <Alert variant="destructive">
          <AlertDescription>Some fields need attention.</AlertDescription>
        </Alert>
      ) : null}
      <Tabs value={kind} onValueChange={(v) => { setKind(v); setError(null); }}>
        <TabsList aria-label="Request kind" className="flex-wrap">
          {tenants.length ? <TabsTrigger value="model-deployment">Model deployment</TabsTrigger> : null}
          {tenants.length ? <TabsTrigger value="model-access">Model access</TabsTrigger> : null}
          {tenants.length ? <TabsTrigger value="budget-limits">Budget and limits</TabsTrigger> : null}
          {mayOnboard ? <TabsTrigger value="tenant-onboarding">Tenant onboarding</TabsTrigger> : null}
        </TabsList>
        {kind !== "tenant-onboarding" ? (
          <div className="mt-4">
            <Field label="Tenant" htmlFor="tenant" error={fieldError("tenant")}>
              <NativeSelect name="tenant" value={tenantId} onChange={(e) => setTenantId(e.target.value)} options={tenants.map((t) => ({ value: t.id, label: `${t.displayName} (${t.id})` }))} />
            </Field>
          </div>
        ) : null}

        <TabsContent value="model-deployment" className="grid gap-4 pt-2">
          <Field label="Deployment name" htmlFor="name" error={fieldError("name")} hint="DNS-1123 label, e.g. chat-small">
            <Input name="name" autoComplete="off" maxLength={40} />
          </Field>
          <Field label="Model" htmlFor="model" error={fieldError("model")} hint={modelHint(models.find((m) => m.id === deployment.model))}>
            <NativeSelect name="model" value={deployment.model} onChange={(e) => setDeployment({ ...deployment, model: e.target.value })} options={models.map((m) => ({ value: m.id, label: m.name }))} />
          </Field>
          <Field label="Serving layer" htmlFor="servingLayer" error={fieldError("servingLayer")}>
            <NativeSelect
              name="servingLayer"
              value={deployment.servingLayer}
              onChange={(e) => setDeployment({ ...deployment, servingLayer: e.target.value })}
              options={[
                { value: "vllm", label: "vLLM (Deployment + Service)" },
                { value: "kserve", label: "KServe (InferenceService + ServingRuntime)" },
                { value: "llm-d", label: "llm-d (prefill/decode, KV-aware routing)" },
              ]}
            />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="GPU type" htmlFor="gpuType" error={fieldError("gpuType") ?? fit.gpuType}>
              <NativeSelect name="gpuType" value={deployment.gpuType} onChange={(e) => setDeployment({ ...deployment, gpuType: e.target.value })} options={gpus.map((g) => ({ value: g.id, label: `${g.name}` }))} />
            </Field>
            <Field label="GPUs per replica (tensor parallel)" htmlFor="gpusPerReplica" error={fieldError("gpusPerReplica") ?? fit.gpusPerReplica}>
              <NativeSelect name="gpusPerReplica" value={String(deployment.gpusPerReplica)} onChange={(e) => setDeployment({ ...deployment, gpusPerReplica: Number(e.target.value) })} options={[1, 2, 4, 8].map((n) => ({ value: String(n), label: String(n) }))} />
            </Field>
            <Field label="Min replicas" htmlFor="minReplicas" error={fieldError("minReplicas")}>
              <Input name="minReplicas" type="number" min={0} max={32} value={deployment.minReplicas} onChange={(e) => setDeployment({ ...deployment, minReplicas: Number(e.target.value) })} />
            </Field>
            <Field label="Max replicas" htmlFor="maxReplicas" error={fieldError("maxReplicas")}>
              <Input name="maxReplicas" type="number" min={1} max={32} value={deployment.maxReplicas} onChange={(e) => setDeployment({ ...deployment, maxReplicas: Number(e.target.value) })} />
            </Field>
            <Field label="Queue-depth target (waiting requests per replica)" htmlFor="queueDepthTarget" error={fieldError("queueDepthTarget")} hint="KEDA scales on vllm:num_requests_waiting">
              <Input name="queueDepthTarget" type="number" min={1} max={256} defaultValue={8} />
            </Field>
            <Field label="Priority (GIE InferenceObjective)" htmlFor="priority" error={fieldError("priority")}>
              <NativeSelect name="priority" defaultValue="" options={[{ value: "", label: "none" }, { value: "critical", label: "critical" }, { value: "standard", label: "standard" }, { value: "sheddable", label: "sheddable" }]} />
            </Field>
          </div>
          <p className="rounded-md border border-border bg-muted p-3 text-sm" data-testid="cost-estimate" aria-live="polite">
            {cost
              ? `Estimated GPU cost: ${formatCents(cost.perReplicaHourCents)}/hour per replica · ${formatCents(cost.minMonthCents)} to ${formatCents(cost.maxMonthCents)} per month (min–max replicas, 730 h)`
              : "This combination does not fit; pick a larger GPU or more GPUs per replica."}
          </p>
        </TabsContent>

        <TabsContent value="model-access" className="grid gap-4 pt-2">
          <ModelChecklist name="models" legend="Models the tenant's keys may use" models={models} defaultChecked={tenant?.allowedModels ?? []} error={fieldError("models")} key={`access-${tenantId}`} />
        </TabsContent>

        <TabsContent value="budget-limits" className="grid gap-4 pt-2" key={`budget-${tenantId}`}>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Monthly budget (USD)" htmlFor="monthlyBudget" error={fieldError("monthlyBudget")}>
              <Input name="monthlyBudget" type="number" min={0} step="0.01" defaultValue={tenant ? tenant.monthlyBudgetCents / 100 : ""} />
            </Field>
            <Field label="Soft-budget alerts (%)" htmlFor="softBudgetThresholds" error={fieldError("softBudgetThresholds")} hint="Comma-separated, e.g. 80, 90, 100">
              <Input name="softBudgetThresholds" defaultValue="80, 90, 100" />
            </Field>
            <Field label="Requests / minute cap" htmlFor="rpmLimit" error={fieldError("rpmLimit")}>
              <Input name="rpmLimit" type="number" min={1} defaultValue={tenant?.rpmLimit ?? ""} />
            </Field>
            <Field label="Tokens / minute cap" htmlFor="tpmLimit" error={fieldError("tpmLimit")}>
              <Input name="tpmLimit" type="number" min={1} defaultValue={tenant?.tpmLimit ?? ""} />
            </Field>
          </div>
        </TabsContent>

        <TabsContent value="tenant-onboarding" className="grid gap-4 pt-2">
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Slug" htmlFor="onboard-tenant" error={fieldError("tenant")} hint="Namespace and LiteLLM team id">
              <Input name="onboardTenant" autoComplete="off" maxLength={63} />
            </Field>
            <Field label="Display name" htmlFor="displayName" error={fieldError("displayName")}>
              <Input name="displayName" maxLength={100} />
            </Field>
            <Field label="Admin groups" htmlFor="adminGroups" error={fieldError("adminGroups")} hint="Comma-separated IdP groups">
              <Input name="adminGroups" />
            </Field>
            <Field label="Member groups" htmlFor="memberGroups" error={fieldError("memberGroups")}>
              <Input name="memberGroups" />
            </Field>
            <Field label="Cost center" htmlFor="costCenter" error={fieldError("costCenter")}>
              <Input name="costCenter" />
            </Field>
            <Field label="Allowed registries" htmlFor="allowedRegistries" error={fieldError("allowedRegistries")} hint="Comma-separated hosts, e.g. ghcr.io">
              <Input name="allowedRegistries" />
            </Field>
            <Field label="GPU type (quota)" htmlFor="quotaGpuType" error={fieldError("quota.gpuType")}>
              <NativeSelect name="quotaGpuType" defaultValue={gpus[0]?.id} options={gpus.map((g) => ({ value: g.id, label: g.name }))} />
            </Field>
            <Field label="GPUs (quota)" htmlFor="quotaGpus" error={fieldError("quota.gpus")}>
              <Input name="quotaGpus" type="number" min={0} max={64} defaultValue={4} />
            </Field>
            <Field label="CPU cores (quota)" htmlFor="quotaCpu" error={fieldError("quota.cpu")}>
              <Input name="quotaCpu" type="number" min={1} defaultValue={32} />
            </Field>
            <Field label="Memory GiB (quota)" htmlFor="quotaMemoryGi" error={fieldError("quota.memoryGi")}>
              <Input name="quotaMemoryGi" type="number" min={1} defaultValue={128} />
            </Field>
            <Field label="Monthly budget (USD)" htmlFor="onboardBudget" error={fieldError("litellm.monthlyBudget")}>
              <Input name="onboardBudget" type="number" min={0} step="0.01" defaultValue={100} />
            </Field>
          </div>
          <ModelChecklist name="onboardModels" legend="Models" models={models} defaultChecked={[]} error={fieldError("litellm.models")} />
        </TabsContent>
      </Tabs>
      <div>
        <Button type="submit" disabled={pending || (kind === "model-deployment" && cost === null)}>
          {pending ? "Submitting…" : "Submit request"}
        </Button>
      </div>
    </form>
  );
}

function modelHint(model: Model | undefined): string {
  if (!model) return "";
  return `${model.parametersB}B parameters · ${model.contextLength.toLocaleString("en-US")} context · ${model.weightsGb} GB weights · fits ${model.gpuTypes.join(", ")}`;
}

function bodyFor(kind: string, tenant: string, form: FormData): Record<string, unknown> {
  switch (kind) {
    case "model-deployment":
      return {
        kind,
        tenant,
        name: String(form.get("name") ?? ""),
        model: String(form.get("model")),
        servingLayer: String(form.get("servingLayer")),
        gpuType: String(form.get("gpuType")),
        gpusPerReplica: numberOrUndefined(form.get("gpusPerReplica")),
        minReplicas: numberOrUndefined(form.get("minReplicas")),
        maxReplicas: numberOrUndefined(form.get("maxReplicas")),
        queueDepthTarget: numberOrUndefined(form.get("queueDepthTarget")),
        ...(form.get("priority") ? { priority: String(form.get("priority")) } : {}),
      };
    case "model-access":
      return { kind, tenant, models: form.getAll("models").map(String) };
    case "budget-limits":
      return {
        kind,
        tenant,
        monthlyBudget: numberOrUndefined(form.get("monthlyBudget")),
        softBudgetThresholds: commaList(form.get("softBudgetThresholds")).map(Number),
        rpmLimit: optionalNumber(form.get("rpmLimit")),
        tpmLimit: optionalNumber(form.get("tpmLimit")),
      };
    default:
      return {
        kind: "tenant-onboarding",
        tenant: String(form.get("onboardTenant") ?? ""),
        displayName: String(form.get("displayName") ?? ""),
        adminGroups: commaList(form.get("adminGroups")),
        memberGroups: commaList(form.get("memberGroups")),
        ...(form.get("costCenter") ? { costCenter: String(form.get("costCenter")) } : {}),
        allowedRegistries: commaList(form.get("allowedRegistries")),
        quota: { gpuType: String(form.get("quotaGpuType")), gpus: numberOrUndefined(form.get("quotaGpus")), cpu: numberOrUndefined(form.get("quotaCpu")), memoryGi: numberOrUndefined(form.get("quotaMemoryGi")) },
        litellm: { models: form.getAll("onboardModels").map(String), monthlyBudget: numberOrUndefined(form.get("onboardBudget")), softBudgetThresholds: [80, 90, 100] },
      };
  }
}
