/** Builders for OpenAI-compatible response objects as vLLM emits them. */

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usageOf(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

export function completionResponse(args: {
  id: string;
  created: number;
  model: string;
  content: string;
  finishReason: string;
  usage: Usage;
}) {
  return {
    id: args.id,
    object: "chat.completion",
    created: args.created,
    model: args.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: args.content, tool_calls: [] },
        logprobs: null,
        finish_reason: args.finishReason,
        stop_reason: null,
      },
    ],
    usage: args.usage,
  };
}

export function chunk(args: {
  id: string;
  created: number;
  model: string;
  delta: Record<string, string>;
  finishReason: string | null;
  includeUsage: boolean;
}) {
  return {
    id: args.id,
    object: "chat.completion.chunk",
    created: args.created,
    model: args.model,
    choices: [{ index: 0, delta: args.delta, logprobs: null, finish_reason: args.finishReason }],
    // vLLM sets `usage: null` on content chunks only when usage was requested.
    ...(args.includeUsage ? { usage: null } : {}),
  };
}

export function usageChunk(args: { id: string; created: number; model: string; usage: Usage }) {
  return {
    id: args.id,
    object: "chat.completion.chunk",
    created: args.created,
    model: args.model,
    choices: [],
    usage: args.usage,
  };
}

/** vLLM's error body (nested `error` object since vLLM 0.10). */
export function errorBody(status: number, type: string, message: string) {
  return { error: { message, type, param: null, code: status } };
}

/** A /v1/completions response or stream chunk (vLLM's `text_completion` object for both). */
export function textCompletion(args: {
  id: string;
  created: number;
  model: string;
  text: string;
  finishReason: string | null;
  usage: Usage | null | undefined;
}) {
  return {
    id: args.id,
    object: "text_completion",
    created: args.created,
    model: args.model,
    choices: [{ index: 0, text: args.text, logprobs: null, finish_reason: args.finishReason, stop_reason: null, prompt_logprobs: null }],
    ...(args.usage === undefined ? {} : { usage: args.usage }),
  };
}

export function textCompletionUsageChunk(args: { id: string; created: number; model: string; usage: Usage }) {
  return { id: args.id, object: "text_completion", created: args.created, model: args.model, choices: [], usage: args.usage };
}
