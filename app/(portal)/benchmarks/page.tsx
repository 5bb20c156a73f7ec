import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Definitions } from "@/components/benchmarks/definitions";
import { ImportForm } from "@/components/benchmarks/import-form";
import { NewRunForm } from "@/components/benchmarks/new-run-form";
import { RunsTable } from "@/components/benchmarks/runs-table";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePrincipal } from "@/lib/auth/page";
import { parseRunListQuery } from "@/lib/benchmarks/pages/list-query";
import { publicRun } from "@/lib/benchmarks/pages/public-run";
import { runOptions } from "@/lib/benchmarks/pages/run-options";
import { benchmarkScope } from "@/lib/benchmarks/scope";
import { listRuns, RUN_SOURCES, RUN_STATUSES } from "@/lib/benchmarks/store";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";

export const metadata: Metadata = { title: "Benchmarks" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function BenchmarksPage({ searchParams }: Props) {
  const principal = await requirePagePrincipal("/benchmarks");
  const scope = benchmarkScope(principal);
  if (scope.kind === "tenants" && scope.tenantIds.length === 0) notFound();
  const raw = await searchParams;
  const params = new URLSearchParams(Object.entries(raw).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
  let filters;
  try {
    filters = parseRunListQuery(params);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    filters = null;
  }
  const db = await getDb();
  const [runs, options] = await Promise.all([filters ? listRuns(db, scope, filters) : Promise.resolve([]), runOptions(principal)]);
  const mayRun = options.mayRunAnywhere || options.runTenants.length > 0;
  const mayImport = options.mayImportPlatform || options.importTenants.length > 0;
  return (
    <div className="grid gap-4">
      <PageHeader title="Benchmarks" description="Latency and throughput of deployments under load: runs from the portal, the command line, imports, and the published reference." />
      <form method="get" className="flex flex-wrap items-end gap-2 text-sm" aria-label="Filter runs">
        <label className="grid gap-1">Model<input name="model" defaultValue={params.get("model") ?? ""} className="h-8 rounded-md border px-2" /></label>
        <label className="grid gap-1">Tenant<input name="deploymentNs" defaultValue={params.get("deploymentNs") ?? ""} className="h-8 rounded-md border px-2" /></label>
        <label className="grid gap-1">Deployment<input name="deploymentName" defaultValue={params.get("deploymentName") ?? ""} className="h-8 rounded-md border px-2" /></label>
        <label className="grid gap-1">Source<select name="source" defaultValue={params.get("source") ?? ""} className="h-8 rounded-md border px-2"><option value="">Any</option>{RUN_SOURCES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label className="grid gap-1">Status<select name="status" defaultValue={params.get("status") ?? ""} className="h-8 rounded-md border px-2"><option value="">Any</option>{RUN_STATUSES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <button type="submit" className="h-8 rounded-md border px-3">Filter</button>
      </form>
      {filters ? <RunsTable runs={runs.map(publicRun)} /> : <Alert variant="destructive">Some filters are invalid.</Alert>}
      {mayRun ? (
        <section className="grid gap-2" aria-labelledby="new-run">
          <h2 id="new-run" className="text-lg font-semibold">New run</h2>
          <p className="text-sm text-muted-foreground">Runs execute in the worker, bounded to concurrency {options.limits.maxConcurrency} and {options.limits.maxDurationS / 60} minutes for your role.</p>
          <NewRunForm deployments={options.deployments} limits={options.limits} allowDirect={principal.platformRoles.has("platform-admin")} gpuTypes={options.gpuTypes} />
        </section>
      ) : null}
      {mayImport ? (
        <section className="grid gap-2" aria-labelledby="import-run">
          <h2 id="import-run" className="text-lg font-semibold">Import</h2>
          <ImportForm tenants={options.importTenants} allowPlatform={options.mayImportPlatform} gpuTypes={options.gpuTypes} />
        </section>
      ) : null}
      <Definitions />
    </div>
  );
}
