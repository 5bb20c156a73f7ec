"use client";

import { useCallback, useMemo } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { readRangeSelection, readRefresh, writeRangeSelection, writeRefresh, type RangeSelection, type RefreshInterval } from "@/lib/dashboards/range";

/**
 * The dashboard's state lives in the query string, so a copied URL shows the same view. Every
 * change replaces the history entry: ten clicks on the range picker are not ten Back presses.
 */
export function useDashboardUrl() {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const selection = useMemo(() => readRangeSelection(new URLSearchParams(search.toString())), [search]);
  const refresh = readRefresh(new URLSearchParams(search.toString()));

  const update = useCallback(
    (change: (params: URLSearchParams) => URLSearchParams) => {
      const next = change(new URLSearchParams(search.toString())).toString();
      router.replace(next ? `${pathname}?${next}` : pathname, { scroll: false });
    },
    [router, pathname, search],
  );

  return {
    search,
    selection,
    refresh,
    setSelection: (value: RangeSelection) => update((p) => writeRangeSelection(p, value)),
    setRefresh: (value: RefreshInterval) => update((p) => writeRefresh(p, value)),
    /** Sets (or with null, removes) page-specific parameters such as `deployment` or `ttft`. */
    setParams: (values: Record<string, string | null>) =>
      update((p) => {
        for (const [key, value] of Object.entries(values)) {
          if (value === null || value === "") p.delete(key);
          else p.set(key, value);
        }
        return p;
      }),
  };
}
