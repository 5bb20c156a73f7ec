import * as React from "react";
import { cva, type VariantProps } from "class-variance-authority";
import { CircleAlert, CircleCheck, Info, TriangleAlert } from "lucide-react";

import { cn } from "@/lib/utils/cn";

export const alertVariants = cva(
  "relative grid w-full grid-cols-[0_1fr] items-start gap-y-0.5 rounded-lg border px-4 py-3 text-sm has-[>svg]:grid-cols-[1rem_1fr] has-[>svg]:gap-x-3 [&>svg]:size-4 [&>svg]:translate-y-0.5",
  {
    variants: {
      variant: {
        default: "bg-card text-card-foreground [&>svg]:text-foreground",
        destructive: "border-destructive/40 bg-destructive/5 text-destructive [&>svg]:text-destructive",
        success: "border-success/40 bg-success/5 text-foreground [&>svg]:text-success",
        warning: "border-warning/50 bg-warning/10 text-foreground [&>svg]:text-foreground",
      },
    },
    defaultVariants: { variant: "default" },
  },
);

const defaultIcons = {
  default: Info,
  destructive: CircleAlert,
  success: CircleCheck,
  warning: TriangleAlert,
} as const;

export type AlertProps = React.ComponentProps<"div"> &
  VariantProps<typeof alertVariants> & {
    /** Custom icon; `null` hides it. Defaults to a per-variant icon. */
    icon?: React.ReactNode;
  };

/**
 * role defaults to "alert" for destructive and "status" otherwise (override via `role`).
 * Compose with <AlertTitle> and <AlertDescription>.
 */
export function Alert({ className, variant, icon, role, children, ...props }: AlertProps) {
  const v = variant ?? "default";
  const DefaultIcon = defaultIcons[v];
  return (
    <div
      data-slot="alert"
      role={role ?? (v === "destructive" ? "alert" : "status")}
      className={cn(alertVariants({ variant }), className)}
      {...props}
    >
      {icon === undefined ? <DefaultIcon aria-hidden="true" /> : icon}
      {children}
    </div>
  );
}

export function AlertTitle({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div data-slot="alert-title" className={cn("col-start-2 font-medium leading-5", className)} {...props} />
  );
}

export function AlertDescription({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="alert-description"
      className={cn("col-start-2 text-sm [&_p]:leading-relaxed", className)}
      {...props}
    />
  );
}
