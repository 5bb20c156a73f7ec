import { Badge } from "@/components/ui/badge";

const VARIANT: Record<string, "default" | "secondary" | "outline" | "success" | "warning" | "destructive"> = {
  queued: "outline",
  submitted: "secondary",
  merged: "default",
  syncing: "warning",
  live: "success",
  rejected: "secondary",
  failed: "destructive",
  superseded: "outline",
};

export function RequestStatusBadge({ status }: { status: string }) {
  return (
    <Badge variant={VARIANT[status] ?? "outline"} data-testid="request-status">
      {status}
    </Badge>
  );
}
