import { z } from "zod";

/** OpenAI chat-completions wire shapes (what vLLM and LiteLLM both emit). */
export const usage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
});

export const chatCompletion = z.object({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: z.number().int(),
  model: z.string(),
  choices: z
    .array(
      z.object({
        index: z.number().int(),
        message: z.object({ role: z.literal("assistant"), content: z.string() }),
        finish_reason: z.enum(["stop", "length"]),
      }),
    )
    .length(1),
  usage,
});

export const chatCompletionChunk = z.object({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      delta: z.object({ role: z.string().optional(), content: z.string().optional() }),
      finish_reason: z.enum(["stop", "length"]).nullable(),
    }),
  ),
  usage: usage.nullable().optional(),
});

export const modelList = z.object({
  object: z.literal("list"),
  data: z.array(z.object({ id: z.string(), object: z.literal("model"), created: z.number(), owned_by: z.string() })),
});

/** Splits an SSE body into its `data:` payloads. */
export function sseData(body: string): string[] {
  return body
    .split("\n\n")
    .map((event) => event.trim())
    .filter((event) => event.startsWith("data:"))
    .map((event) => event.slice(5).trim());
}
