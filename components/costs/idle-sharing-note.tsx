import { Badge } from "@/components/ui/badge";
import type { IdleSharing } from "@/lib/costs/infra-source";
import { IDLE_SHARING_TEXT } from "./format";

/** The platform's idle-sharing rule, on every page whose figures depend on it. */
export function IdleSharingNote({ idleSharing }: { idleSharing: IdleSharing }) {
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground" data-testid="idle-sharing">
      <Badge variant="outline">Idle sharing: {idleSharing}</Badge>
      <span>{IDLE_SHARING_TEXT[idleSharing]}</span>
    </p>
  );
}
