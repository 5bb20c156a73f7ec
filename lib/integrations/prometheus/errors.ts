import { AppError, type ErrorCode } from "@/lib/http/errors";
import { scrubString } from "@/lib/observability/scrub";

export type PrometheusErrorKind = "unavailable" | "timeout" | "bad_data" | "execution" | "too_many_points" | "unexpected";

const CODE_OF: Record<PrometheusErrorKind, ErrorCode> = {
  unavailable: "unavailable",
  timeout: "unavailable",
  bad_data: "validation",
  execution: "validation",
  too_many_points: "validation",
  unexpected: "upstream",
};

/**
 * Every failure of a Prometheus call, classified so the UI can say what to do: wait
 * (unavailable, timeout), change the query (bad_data, execution, too_many_points), or report a
 * bug (unexpected). An AppError, so routes map it through the one error mapper; the message is
 * scrubbed and never carries the bearer token.
 */
export class PrometheusError extends AppError {
  static override readonly errorName = "PrometheusError";

  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
    /** HTTP status from Prometheus, undefined when it never answered. */
    readonly httpStatus?: number,
  ) {
    super(CODE_OF[kind], scrubString(message));
    this.name = "PrometheusError";
  }
}
