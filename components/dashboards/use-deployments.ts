"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/forms/api";
import { rangeQuery, type RangeSelection } from "@/lib/dashboards/range";
import type { DeploymentRef } from "@/lib/metrics/types";

/** Deployments with metrics in the range: one tenant's with `namespace`, the fleet's without. */
export function useDeployments(selection: RangeSelection, namespace?: string) {
  const query = new URLSearchParams(rangeQuery(selection));
  if (namespace) query.set("namespace", namespace);
  const url = `/api/metrics/deployments?${query}`;
  return useQuery({ queryKey: ["deployments", url], queryFn: async () => (await apiFetch<{ deployments: DeploymentRef[] }>(url)).deployments, retry: false });
}
