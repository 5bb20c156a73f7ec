import { Alert, AlertDescription } from "@/components/ui/alert";
import type { ApiFailure } from "./api";

/** The form-level error: shown when the server refused without pointing at a field. */
export function FormError({ error }: { error: ApiFailure | null }) {
  if (!error || error.fields) return null;
  return (
    <Alert variant="destructive">
      <AlertDescription>{error.message}</AlertDescription>
    </Alert>
  );
}
