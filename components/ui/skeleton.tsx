import * as React from "react";

import { cn } from "@/lib/utils/cn";

/** Decorative loading placeholder (aria-hidden). Announce loading state elsewhere, e.g. aria-busy on the region. */
export function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="skeleton"
      aria-hidden="true"
      className={cn("animate-pulse rounded-md bg-muted motion-reduce:animate-none", className)}
      {...props}
    />
  );
}
