import type { z } from "zod";

/** `type` values LiteLLM's ProxyException carries (ProxyErrorTypes), plus OpenAI's for 429. */
export type LiteLLMErrorType =
  | "auth_error"
  | "expired_key"
  | "bad_request_error"
  | "not_found_error"
  | "budget_exceeded"
  | "key_model_access_denied"
  | "team_model_access_denied"
  | "rate_limit_error"
  | "internal_server_error";

/** A failure that LiteLLM reports as `{"error": {message, type, param, code}}`. */
export class LiteLLMError extends Error {
  constructor(
    readonly status: number,
    readonly type: LiteLLMErrorType,
    message: string,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody() {
    // LiteLLM serializes the HTTP status as a string in `code`.
    return { error: { message: this.message, type: this.type, param: this.param, code: String(this.status) } };
  }
}

export const authError = (message: string) => new LiteLLMError(401, "auth_error", message);
export const badRequest = (message: string, param: string | null = null) =>
  new LiteLLMError(400, "bad_request_error", message, param);
export const notFound = (message: string) => new LiteLLMError(404, "not_found_error", message);

interface FastApiDetail {
  type: string;
  loc: Array<string | number>;
  msg: string;
}

/**
 * Input validation failures. LiteLLM's endpoints are FastAPI routes with
 * pydantic bodies and typed query parameters, so malformed input gets
 * FastAPI's 422 `{"detail": [...]}` rather than the ProxyException shape.
 */
export class RequestValidationError extends Error {
  constructor(readonly detail: FastApiDetail[]) {
    super("Request validation failed");
  }

  static fromZod(issues: z.core.$ZodIssue[]): RequestValidationError {
    return new RequestValidationError(
      issues.map((issue) => ({
        type: issue.code,
        loc: ["body", ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
        msg: issue.message,
      })),
    );
  }

  static query(name: string, type: string, msg: string): RequestValidationError {
    return new RequestValidationError([{ type, loc: ["query", name], msg }]);
  }

  toBody() {
    return { detail: this.detail };
  }
}
