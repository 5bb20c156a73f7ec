type Event = { id: string; at: Date; type: string; fromStatus: string | null; toStatus: string | null; actorEmail: string; message: string };

/** The request's history, oldest first: every transition and side effect with who and when. */
export function RequestTimeline({ events }: { events: Event[] }) {
  return (
    <ol className="grid gap-3 border-l border-border pl-4" aria-label="Timeline">
      {events.map((e) => (
        <li key={e.id} className="relative" data-testid="timeline-event">
          <span className="absolute -left-[1.3rem] top-1.5 size-2 rounded-full bg-primary" aria-hidden />
          <div className="flex flex-wrap items-baseline gap-x-2 text-sm">
            <time className="font-mono text-xs text-muted-foreground" dateTime={e.at.toISOString()}>
              {e.at.toISOString().replace("T", " ").slice(0, 19)}
            </time>
            {e.toStatus ? (
              <span className="font-medium">
                {e.fromStatus ? `${e.fromStatus} → ` : ""}
                {e.toStatus}
              </span>
            ) : (
              <span className="font-medium">{e.type}</span>
            )}
            <span className="text-muted-foreground">by {e.actorEmail}</span>
          </div>
          <p className="text-sm">{e.message}</p>
        </li>
      ))}
    </ol>
  );
}
