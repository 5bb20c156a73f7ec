"use client";

import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";

// ssr: false keeps recharts out of the server render and in the benchmark pages' own chunk.
export const SweepChartLoader = dynamic(() => import("./sweep-chart"), { ssr: false, loading: () => <Skeleton className="h-[240px] w-full" /> });
export const TimeSeriesChartLoader = dynamic(() => import("@/components/dashboards/time-series-chart"), { ssr: false, loading: () => <Skeleton className="h-[160px] w-full" /> });
