import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sendJson } from "../http/respond";
import { type ChatRequest, chatRequestSchema, messageText } from "./chat-schema";
import { ContextLengthError, type Generation, type ModelServer } from "./model-server";
import { chunk, completionResponse, errorBody, usageChunk, usageOf } from "./openai-shapes";

const DEFAULT_MAX_TOKENS = 64;

/** Starts generation, or answers 400 when the request does not fit the context window. */
function startOrReject(server: ModelServer, request: ChatRequest, signal: AbortSignal, res: ServerResponse): Generation | undefined {
  try {
    return server.start(
      {
        messageTexts: request.messages.map(messageText),
        maxTokens: request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_MAX_TOKENS,
        ignoreEos: request.ignore_eos === true,
      },
      signal,
    );
  } catch (err) {
    if (!(err instanceof ContextLengthError)) throw err;
    sendJson(res, 400, errorBody(400, "BadRequestError", err.message));
    return undefined;
  }
}

export async function handleChatCompletion(
  body: unknown,
  res: ServerResponse,
  servers: ReadonlyMap<string, ModelServer>,
): Promise<void> {
  const parsed = chatRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "body";
    sendJson(res, 400, errorBody(400, "BadRequestError", `Invalid request: ${where}: ${issue?.message ?? "invalid"}`));
    return;
  }
  const request = parsed.data;
  const server = servers.get(request.model);
  if (!server) {
    sendJson(res, 404, errorBody(404, "NotFoundError", `The model \`${request.model}\` does not exist.`));
    return;
  }

  // Stop generating when the client goes away, like vLLM aborts the request.
  const abort = new AbortController();
  res.on("close", () => abort.abort());

  const generation = startOrReject(server, request, abort.signal, res);
  if (!generation) return;

  const id = `chatcmpl-${randomBytes(16).toString("hex")}`;
  const created = Math.floor(Date.now() / 1000);
  const model = server.name;

  if (!request.stream) {
    let content = "";
    let count = 0;
    for await (const piece of generation.pieces) {
      content += piece;
      count++;
    }
    if (abort.signal.aborted) return;
    sendJson(res, 200, completionResponse({
      id, created, model, content, finishReason: generation.finishReason,
      usage: usageOf(generation.promptTokens, count),
    }));
    return;
  }

  const includeUsage = request.stream_options?.include_usage === true;
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
  const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);

  send(chunk({ id, created, model, delta: { role: "assistant", content: "" }, finishReason: null, includeUsage }));
  let count = 0;
  // Each token goes out as soon as it is generated (holding one back would add an inter-token
  // latency to TTFT); the planned length tells which chunk carries finish_reason.
  for await (const piece of generation.pieces) {
    count++;
    const finishReason = count === generation.plannedTokens ? generation.finishReason : null;
    send(chunk({ id, created, model, delta: { content: piece }, finishReason, includeUsage }));
  }
  if (abort.signal.aborted) return;
  if (includeUsage) send(usageChunk({ id, created, model, usage: usageOf(generation.promptTokens, count) }));
  res.end("data: [DONE]\n\n");
}
