import Link from "next/link";
import type { ChartMarker } from "./time-series-chart";
import { formatTimeFull } from "./format";

/** The chart's vertical lines as a list: keyboard- and screen-reader-reachable, with the request links. */
export function MarkerList({ markers }: { markers: ChartMarker[] }) {
  if (!markers.length) return null;
  return (
    <ul className="mt-2 grid gap-0.5 text-xs text-muted-foreground" aria-label="Events in this range">
      {markers.map((m) => (
        <li key={`${m.kind}-${m.time}-${m.label}`} data-testid={m.kind === "live" ? "live-marker" : "autoscale-marker"}>
          <span className="tabular-nums">{formatTimeFull(m.time)}</span> ·{" "}
          {m.href ? (
            <Link href={m.href} className="text-primary underline-offset-4 hover:underline">
              {m.label}
            </Link>
          ) : (
            m.label
          )}
        </li>
      ))}
    </ul>
  );
}
