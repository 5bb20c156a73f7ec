import * as React from "react";

import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils/cn";

/** Accessibility props a form control should receive from <Field>. */
export type FieldControlProps = {
  id: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
};

export type FieldProps = Omit<React.ComponentProps<"div">, "children"> & {
  label: React.ReactNode;
  /** id of the control; also the prefix of the hint/error ids. */
  htmlFor: string;
  /** Error message; when set the control gets aria-invalid and the message is announced (role="alert"). */
  error?: string;
  hint?: React.ReactNode;
  /** Visual required marker only; still put `required` on the control itself. */
  required?: boolean;
  /**
   * Either a single control element (Input, Textarea, Checkbox…) — Field clones it
   * and injects `id` (unless set), `aria-invalid` and a merged `aria-describedby` —
   * or a render function receiving those props, for composites where they must go
   * on a nested element, e.g.
   * `{(p) => <Select …><SelectTrigger {...p}><SelectValue /></SelectTrigger>…</Select>}`.
   */
  children: React.ReactElement<Partial<FieldControlProps>> | ((props: FieldControlProps) => React.ReactNode);
};

export function fieldIds(htmlFor: string) {
  return { hintId: `${htmlFor}-hint`, errorId: `${htmlFor}-error` };
}

export function Field({ label, htmlFor, error, hint, required, className, children, ...props }: FieldProps) {
  const { hintId, errorId } = fieldIds(htmlFor);
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const controlProps: FieldControlProps = {
    id: htmlFor,
    ...(error ? { "aria-invalid": true as const } : {}),
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
  };

  let control: React.ReactNode;
  if (typeof children === "function") {
    control = children(controlProps);
  } else {
    const own = children.props;
    const merged = [own["aria-describedby"], describedBy].filter(Boolean).join(" ") || undefined;
    control = React.cloneElement(children, {
      ...controlProps,
      id: own.id ?? htmlFor,
      "aria-describedby": merged,
    });
  }

  return (
    <div data-slot="field" data-invalid={error ? "" : undefined} className={cn("grid gap-2", className)} {...props}>
      <Label htmlFor={htmlFor}>
        {label}
        {required ? (
          <span className="text-destructive" aria-hidden="true">
            *
          </span>
        ) : null}
      </Label>
      {control}
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} role="alert" className="text-xs font-medium text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}
