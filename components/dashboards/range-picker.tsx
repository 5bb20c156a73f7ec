"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  customRangeProblem,
  formatInstant,
  RANGE_PRESET_IDS,
  REFRESH_IDS,
  resolveRange,
  type RangeSelection,
  type RefreshInterval,
} from "@/lib/dashboards/range";
import { cn } from "@/lib/utils/cn";

type Props = {
  selection: RangeSelection;
  refresh: RefreshInterval;
  onSelection: (value: RangeSelection) => void;
  onRefresh: (value: RefreshInterval) => void;
  /** Shown next to the picker: the server's step, so the resolution is not a mystery. */
  step?: number | null;
  fetching?: boolean;
};

// <input type="datetime-local"> speaks local wall time without a zone: convert at the edge.
const toLocalInput = (seconds: number) => {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const fromLocalInput = (value: string) => {
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
};

const SELECT = "h-9 rounded-md border border-input bg-background px-2 text-sm";

export function RangePicker({ selection, refresh, onSelection, onRefresh, step, fetching }: Props) {
  const now = Math.floor(Date.now() / 1000);
  const current = resolveRange(selection, now);
  const [custom, setCustom] = useState(selection.kind === "custom");
  const [from, setFrom] = useState(toLocalInput(current.start));
  const [to, setTo] = useState(toLocalInput(current.end));
  const [problem, setProblem] = useState<string | null>(null);

  const applyCustom = (event: React.FormEvent) => {
    event.preventDefault();
    const start = fromLocalInput(from);
    const end = fromLocalInput(to);
    const issue = start === null || end === null ? "Pick both dates" : customRangeProblem(start, end, Math.floor(Date.now() / 1000));
    setProblem(issue);
    if (!issue && start !== null && end !== null) onSelection({ kind: "custom", from: start, to: end });
  };

  return (
    <div data-testid="range-picker" className="grid gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <div role="group" aria-label="Time range" className="flex flex-wrap gap-1">
          {RANGE_PRESET_IDS.map((preset) => {
            const active = !custom && selection.kind === "preset" && selection.preset === preset;
            return (
              <Button
                key={preset}
                type="button"
                size="sm"
                variant={active ? "default" : "outline"}
                aria-pressed={active}
                onClick={() => {
                  setCustom(false);
                  setProblem(null);
                  onSelection({ kind: "preset", preset });
                }}
              >
                {preset}
              </Button>
            );
          })}
          <Button type="button" size="sm" variant={custom ? "default" : "outline"} aria-pressed={custom} onClick={() => setCustom(true)}>
            Custom
          </Button>
        </div>
        <Label htmlFor="refresh-interval" className="ml-auto text-xs text-muted-foreground">
          Auto-refresh
        </Label>
        <select id="refresh-interval" className={SELECT} value={refresh} onChange={(e) => onRefresh(e.target.value as RefreshInterval)}>
          {REFRESH_IDS.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
        <span className={cn("text-xs text-muted-foreground tabular-nums", fetching && "animate-pulse")} aria-live="polite">
          {fetching ? "Loading…" : step ? `step ${step}s` : ""}
        </span>
      </div>
      {custom ? (
        <form onSubmit={applyCustom} className="flex flex-wrap items-end gap-2" aria-label="Custom time range">
          <div className="grid gap-1">
            <Label htmlFor="range-from" className="text-xs">From</Label>
            <Input id="range-from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className="h-9 w-auto" />
          </div>
          <div className="grid gap-1">
            <Label htmlFor="range-to" className="text-xs">To</Label>
            <Input id="range-to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className="h-9 w-auto" />
          </div>
          <Button type="submit" size="sm" variant="secondary">
            Apply
          </Button>
          {problem ? (
            <p role="alert" className="text-xs text-destructive">
              {problem}
            </p>
          ) : selection.kind === "custom" ? (
            <p className="text-xs text-muted-foreground">
              {formatInstant(selection.from)} → {formatInstant(selection.to)} (UTC)
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
