import { LiteLLMError, type LiteLLMErrorType } from "../errors";

const UPSTREAM_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Calls the model server; maps transport and HTTP failures to LiteLLM errors. `headers` are
 * LiteLLM's own (e.g. the caller's team for the inference gateway), never the client's.
 */
export async function callUpstream(baseUrl: string, body: unknown, signal: AbortSignal, headers: Record<string, string> = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.any([signal, AbortSignal.timeout(UPSTREAM_TIMEOUT_MS)]),
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new LiteLLMError(500, "internal_server_error", `litellm.APIConnectionError: Hosted_vllmException - Connection error. (${baseUrl})`);
  }
  if (response.ok) return response;

  const text = await response.text();
  let message = text;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string }; message?: string };
    message = parsed.error?.message ?? parsed.message ?? text;
  } catch {
    // Non-JSON error bodies are passed through as text.
  }
  const kinds: Record<number, [string, LiteLLMErrorType]> = {
    400: ["BadRequestError", "bad_request_error"],
    404: ["NotFoundError", "not_found_error"],
    429: ["RateLimitError", "rate_limit_error"],
  };
  const [name, type] = kinds[response.status] ?? ["APIError", "internal_server_error"];
  throw new LiteLLMError(response.status, type, `litellm.${name}: Hosted_vllmException - ${message}`);
}
