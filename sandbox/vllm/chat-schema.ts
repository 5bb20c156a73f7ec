import { z } from "zod";

const contentPart = z.object({ type: z.string(), text: z.string().optional() }).loose();

export const chatMessageSchema = z
  .object({
    role: z.string(),
    content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  })
  .loose();

export const chatRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(chatMessageSchema).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).loose().nullish(),
    max_tokens: z.number().int().min(1).nullish(),
    max_completion_tokens: z.number().int().min(1).nullish(),
    /** vLLM extension: keep generating past end-of-sequence up to max_tokens. */
    ignore_eos: z.boolean().nullish(),
  })
  // Sampling parameters (temperature, top_p, ...) are accepted and ignored.
  .loose();

export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** Flattens message content to the text a tokenizer would see. */
export function messageText(message: z.infer<typeof chatMessageSchema>): string {
  const { content } = message;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => p.text ?? "").join(" ");
  return "";
}
