"use client";

import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";

// ssr: false keeps recharts out of the server render and in its own chunk.
export const DailyCostChartLoader = dynamic(() => import("./daily-cost-chart"), { ssr: false, loading: () => <Skeleton className="h-[260px] w-full" /> });
