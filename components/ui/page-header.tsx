import * as React from "react";

import { cn } from "@/lib/utils/cn";

export type PageHeaderProps = Omit<React.ComponentProps<"div">, "title"> & {
  /** Rendered as the page's <h1>. */
  title: React.ReactNode;
  description?: React.ReactNode;
  /** Right-aligned slot (buttons); wraps below the title on narrow screens. */
  actions?: React.ReactNode;
};

export function PageHeader({ title, description, actions, className, ...props }: PageHeaderProps) {
  return (
    <div
      data-slot="page-header"
      className={cn("flex flex-col gap-4 pb-6 sm:flex-row sm:items-start sm:justify-between", className)}
      {...props}
    >
      <div className="flex min-w-0 flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight break-words">{title}</h1>
        {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
