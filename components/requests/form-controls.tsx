"use client";

import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils/cn";

type Option = { value: string; label: string };

/** A styled native <select>: keyboard and screen-reader behaviour for free, works in forms. */
export function NativeSelect({ options, className, ...props }: React.ComponentProps<"select"> & { options: Option[] }) {
  return (
    <select className={cn("h-9 w-full rounded-md border border-input bg-background px-3 text-sm", className)} {...props}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function ModelChecklist({ name, legend, models, defaultChecked, error }: { name: string; legend: string; models: { id: string; name: string }[]; defaultChecked: string[]; error?: string }) {
  return (
    <fieldset className="grid gap-2" aria-describedby={error ? `${name}-error` : undefined}>
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      {models.map((m) => (
        <div key={m.id} className="flex items-center gap-2">
          <Checkbox id={`${name}-${m.id}`} name={name} value={m.id} defaultChecked={defaultChecked.includes(m.id)} />
          <Label htmlFor={`${name}-${m.id}`} className="font-normal">
            {m.name} <code className="text-xs text-muted-foreground">{m.id}</code>
          </Label>
        </div>
      ))}
      {error ? (
        <p id={`${name}-error`} role="alert" className="text-xs font-medium text-destructive">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
