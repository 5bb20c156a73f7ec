import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { z } from "zod";
import { sendJson } from "../http/respond";
import { ContextLengthError, type Generation, type ModelServer } from "./model-server";
import { errorBody, textCompletion, textCompletionUsageChunk, usageOf } from "./openai-shapes";

// vLLM (like OpenAI) defaults max_tokens to 16 on the legacy completions API.
const DEFAULT_MAX_TOKENS = 16;

export const completionRequestSchema = z
  .object({
    model: z.string().min(1),
    // Token-id prompts and batches of prompts are real API features the sandbox does not need.
    prompt: z.string().min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).loose().nullish(),
    max_tokens: z.number().int().min(1).nullish(),
    ignore_eos: z.boolean().nullish(),
  })
  .loose();

function reject(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, errorBody(status, type, message));
}

/** POST /v1/completions: the legacy text API that benchmark tools (vllm bench, inference-perf) drive. */
export async function handleCompletion(body: unknown, res: ServerResponse, servers: ReadonlyMap<string, ModelServer>): Promise<void> {
  const parsed = completionRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "body";
    return reject(res, 400, "BadRequestError", `Invalid request: ${where}: ${issue?.message ?? "invalid"}`);
  }
  const request = parsed.data;
  const server = servers.get(request.model);
  if (!server) return reject(res, 404, "NotFoundError", `The model \`${request.model}\` does not exist.`);

  const abort = new AbortController();
  res.on("close", () => abort.abort());
  let generation: Generation;
  try {
    generation = server.start(
      {
        messageTexts: [request.prompt],
        maxTokens: request.max_tokens ?? DEFAULT_MAX_TOKENS,
        ignoreEos: request.ignore_eos === true,
        chatTemplate: false,
      },
      abort.signal,
    );
  } catch (err) {
    if (!(err instanceof ContextLengthError)) throw err;
    return reject(res, 400, "BadRequestError", err.message);
  }

  const id = `cmpl-${randomBytes(16).toString("hex")}`;
  const created = Math.floor(Date.now() / 1000);
  const model = server.name;
  const usage = (count: number) => usageOf(generation.promptTokens, count);

  if (!request.stream) {
    let text = "";
    let count = 0;
    for await (const piece of generation.pieces) {
      text += piece;
      count++;
    }
    if (abort.signal.aborted) return;
    return sendJson(res, 200, textCompletion({ id, created, model, text, finishReason: generation.finishReason, usage: usage(count) }));
  }

  const includeUsage = request.stream_options?.include_usage === true;
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
  const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  // vLLM sets `usage: null` on content chunks only when usage was requested.
  const chunkUsage = includeUsage ? null : undefined;
  let count = 0;
  // Each token goes out as soon as it is generated; the planned length marks the last chunk.
  for await (const piece of generation.pieces) {
    count++;
    const finishReason = count === generation.plannedTokens ? generation.finishReason : null;
    send(textCompletion({ id, created, model, text: piece, finishReason, usage: chunkUsage }));
  }
  if (abort.signal.aborted) return;
  if (includeUsage) send(textCompletionUsageChunk({ id, created, model, usage: usage(count) }));
  res.end("data: [DONE]\n\n");
}
