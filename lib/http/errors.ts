import { z } from "zod";

export const ERROR_STATUS = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation: 422,
  rate_limited: 429,
  upstream: 502,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type FieldErrors = Record<string, string[]>;

const APP_ERROR: unique symbol = Symbol.for("inference-portal.app-error");

/** The one error type use-cases throw; its message is safe to show to the user. */
export class AppError extends Error {
  /** Set by subclasses to their `name`: how a copy of the subclass is recognised (below). */
  static readonly errorName: string | undefined = undefined;

  /**
   * `instanceof` that also recognises this class as compiled into another server chunk. A
   * process-wide singleton kept on globalThis (the Prometheus client, say) throws the class of
   * the chunk that created it, which another route's copy of the class would not recognise: its
   * PrometheusError then showed as "unexpected". Copies share a global brand; subclasses match
   * by their declared name.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== "object" || value === null || (value as { [APP_ERROR]?: unknown })[APP_ERROR] !== true) return false;
    const expected = (this as typeof AppError).errorName;
    return expected === undefined || (value as Error).name === expected;
  }

  readonly [APP_ERROR] = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = () => new AppError("not_found", "Not found");

export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

export function validationError(error: z.ZodError): AppError {
  return new AppError("validation", "Some fields are invalid", fieldErrors(error));
}

/** The only wire shape for errors leaving the API. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export function toErrorBody(error: unknown, requestId?: string): { status: number; body: ErrorBody } {
  if (error instanceof z.ZodError) return toErrorBody(validationError(error), requestId);
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, fields: error.fields, requestId } },
    };
  }
  // Unknown errors may carry internals (SQL, stack, upstream bodies): never echo them.
  return { status: 500, body: { error: { code: "internal", message: "Something went wrong", requestId } } };
}
