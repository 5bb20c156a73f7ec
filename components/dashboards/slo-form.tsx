"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SLO_MAX_MS, SLO_MIN_MS, type SloTargets } from "@/lib/dashboards/slo";

type Props = SloTargets & { defaults: SloTargets; onApply: (next: SloTargets) => void };

/** The two latency thresholds, edited together and applied to the URL on submit. */
export function SloForm({ ttftMs, itlMs, defaults, onApply }: Props) {
  const [ttft, setTtft] = useState(String(ttftMs));
  const [itl, setItl] = useState(String(itlMs));
  // Back/forward or a pasted URL changes the thresholds from outside: follow them.
  useEffect(() => setTtft(String(ttftMs)), [ttftMs]);
  useEffect(() => setItl(String(itlMs)), [itlMs]);

  const parse = (value: string) => (/^\d{1,5}$/.test(value) && Number(value) >= SLO_MIN_MS && Number(value) <= SLO_MAX_MS ? Number(value) : null);
  const nextTtft = parse(ttft);
  const nextItl = parse(itl);

  return (
    <form
      aria-label="Latency thresholds"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (nextTtft !== null && nextItl !== null) onApply({ ttftMs: nextTtft, itlMs: nextItl });
      }}
    >
      <div className="grid gap-1">
        <Label htmlFor="slo-ttft">TTFT threshold (ms)</Label>
        <Input id="slo-ttft" inputMode="numeric" value={ttft} onChange={(e) => setTtft(e.target.value)} aria-invalid={nextTtft === null} className="h-9 w-28" />
      </div>
      <div className="grid gap-1">
        <Label htmlFor="slo-itl">ITL threshold (ms)</Label>
        <Input id="slo-itl" inputMode="numeric" value={itl} onChange={(e) => setItl(e.target.value)} aria-invalid={nextItl === null} className="h-9 w-28" />
      </div>
      <Button type="submit" size="sm" variant="secondary" disabled={nextTtft === null || nextItl === null}>
        Apply
      </Button>
      <Button type="button" size="sm" variant="ghost" onClick={() => onApply(defaults)}>
        Defaults ({defaults.ttftMs} / {defaults.itlMs} ms)
      </Button>
      {nextTtft === null || nextItl === null ? (
        <p role="alert" className="text-xs text-destructive">
          Whole milliseconds from {SLO_MIN_MS} to {SLO_MAX_MS}
        </p>
      ) : null}
    </form>
  );
}
