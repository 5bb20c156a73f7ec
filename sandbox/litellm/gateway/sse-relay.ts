import type { ServerResponse } from "node:http";
import type { CallUsage } from "./spend-log";

export interface RelayOptions {
  publicModel: string;
  /** Whether the client asked for the usage chunk (stream_options.include_usage). */
  clientWantsUsage: boolean;
}

export interface RelayResult {
  usage: CallUsage | undefined;
  requestId: string | undefined;
  firstTokenAt: Date | undefined;
}

interface ChunkJson {
  id?: string;
  model?: string;
  choices?: unknown[];
  usage?: CallUsage | null;
}

/**
 * Relays an upstream SSE stream to the client chunk by chunk, renaming the
 * model to its public name. The gateway always asks upstream for usage (it
 * needs it for spend) and hides the usage chunk from clients that did not ask.
 */
export async function relaySse(upstream: ReadableStream<Uint8Array>, res: ServerResponse, options: RelayOptions): Promise<RelayResult> {
  const result: RelayResult = { usage: undefined, requestId: undefined, firstTokenAt: undefined };
  const decoder = new TextDecoder();
  let buffer = "";

  const handleEvent = (event: string) => {
    const data = event
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).trimStart())
      .join("\n");
    if (!data) return;
    if (data === "[DONE]") {
      res.write("data: [DONE]\n\n");
      return;
    }
    const chunk = JSON.parse(data) as ChunkJson;
    result.requestId ??= chunk.id;
    if (chunk.usage) result.usage = chunk.usage;
    if (chunk.choices?.length) result.firstTokenAt ??= new Date();
    if (!options.clientWantsUsage) {
      if (!chunk.choices?.length && chunk.usage) return;
      delete chunk.usage;
    }
    chunk.model = options.publicModel;
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  };

  const reader = upstream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
    let boundary = buffer.indexOf("\n\n");
    while (boundary !== -1) {
      handleEvent(buffer.slice(0, boundary));
      buffer = buffer.slice(boundary + 2);
      boundary = buffer.indexOf("\n\n");
    }
  }
  if (buffer.trim()) handleEvent(buffer);
  return result;
}
