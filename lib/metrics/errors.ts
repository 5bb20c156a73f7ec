import { AppError } from "@/lib/http/errors";

/**
 * A dashboard parameter or query that was refused: names the field so the form (or the Explore
 * editor) can show the message next to it. Maps to 422 through the one error mapper.
 */
export class MetricsParamError extends AppError {
  static override readonly errorName = "MetricsParamError";

  constructor(
    readonly field: string,
    message: string,
  ) {
    super("validation", message, { [field]: [message] });
    this.name = "MetricsParamError";
  }
}
