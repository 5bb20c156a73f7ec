"use client";

import { useEffect, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/forms/api";
import { Panel } from "@/components/dashboards/panel";
import { RangePicker } from "@/components/dashboards/range-picker";
import { useDashboardUrl } from "@/components/dashboards/use-dashboard-url";
import { useElementWidth } from "@/components/dashboards/use-element-width";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ExploreResponse } from "@/lib/dashboards/explore";
import { rangeQuery, REFRESH_INTERVALS } from "@/lib/dashboards/range";
import type { PanelDef, Unit } from "@/lib/metrics/types";

const UNITS: Unit[] = ["count", "percent", "ratio", "seconds", "tokens/s", "req/s", "watts", "celsius", "mebibytes", "replicas"];
const EXAMPLE = 'sum by (namespace) (rate(vllm:generation_tokens_total[5m]))';

export function ExploreClient() {
  const { search, selection, refresh, setSelection, setRefresh, setParams } = useDashboardUrl();
  const query = search.get("query") ?? "";
  const unitParam = search.get("unit");
  const unit: Unit = UNITS.find((u) => u === unitParam) ?? "count";
  const [draft, setDraft] = useState(query);
  useEffect(() => setDraft(query), [query]);
  const { ref, width } = useElementWidth<HTMLDivElement>();

  const params = new URLSearchParams({ ...rangeQuery(selection), query, ...(width ? { width: String(width) } : {}) });
  const url = `/api/metrics/explore?${params}`;
  const interval = REFRESH_INTERVALS[refresh];
  const result = useQuery({
    queryKey: ["explore", url],
    queryFn: () => apiFetch<ExploreResponse>(url),
    enabled: query !== "" && width !== null,
    refetchInterval: interval > 0 ? interval : false,
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
    retry: false,
  });

  const def: PanelDef = { id: "explore", title: "Result", description: query, unit, kind: "timeseries", group: "Explore" };
  const data = result.data && !result.isError ? { ...result.data.result, unit } : undefined;

  return (
    <div className="grid gap-6">
      <form
        className="grid gap-2"
        aria-label="PromQL query"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ query: draft.trim() || null });
        }}
      >
        <Label htmlFor="promql">PromQL</Label>
        <Textarea
          id="promql"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            // Ctrl/Cmd+Enter runs the query, as in Prometheus' own UI.
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              setParams({ query: draft.trim() || null });
            }
          }}
          placeholder={EXAMPLE}
          spellCheck={false}
          className="min-h-24 font-mono text-xs"
          maxLength={10_000}
        />
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" size="sm">
            Run
          </Button>
          <Label htmlFor="explore-unit" className="ml-2 text-xs text-muted-foreground">
            Unit
          </Label>
          <select id="explore-unit" className="h-8 rounded-md border border-input bg-background px-2 text-xs" value={unit} onChange={(e) => setParams({ unit: e.target.value === "count" ? null : e.target.value })}>
            {UNITS.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
          <span className="text-xs text-muted-foreground">Ctrl+Enter runs</span>
        </div>
      </form>
      <RangePicker selection={selection} refresh={refresh} onSelection={setSelection} onRefresh={setRefresh} step={result.data?.result.step} fetching={result.isFetching} />
      {result.isError ? (
        <Alert variant="destructive" data-testid="explore-error">
          <AlertTitle>The query failed</AlertTitle>
          <AlertDescription>
            {/* Prometheus' message verbatim, as text: React escapes it. */}
            <pre className="whitespace-pre-wrap break-words font-mono text-xs">{result.error.message}</pre>
          </AlertDescription>
        </Alert>
      ) : null}
      <div ref={ref}>
        {query === "" ? (
          <p className="text-sm text-muted-foreground">Write a query and run it; the result is drawn over the chosen range.</p>
        ) : result.isError ? null : (
          <Panel def={def} result={data ? { panelId: "explore", data } : undefined} range={result.data?.range} tableOpen />
        )}
      </div>
    </div>
  );
}
