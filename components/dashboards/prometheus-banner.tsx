import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** One notice for the whole page when Prometheus cannot be reached (panels keep their own errors). */
export function PrometheusBanner({ message }: { message: string }) {
  return (
    <Alert variant="warning" data-testid="prometheus-banner">
      <AlertTitle>Prometheus is not answering</AlertTitle>
      <AlertDescription>
        <p>The charts below could not be loaded; they will fill in when Prometheus is back (refresh, or turn on auto-refresh).</p>
        <p className="mt-1 break-words text-xs text-muted-foreground">{message}</p>
      </AlertDescription>
    </Alert>
  );
}
