import type { IncomingMessage } from "node:http";

/** Thrown when a request body is too large or not valid JSON / form data. */
export class BodyError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

// The stand-ins only receive small JSON documents and login forms; a cap keeps a
// runaway client from exhausting memory of the dev machine.
const DEFAULT_LIMIT_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = DEFAULT_LIMIT_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw new BodyError("Request body too large", 413);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON body; an empty body is treated as `{}` like FastAPI does for optional bodies. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError("Request body is not valid JSON", 400);
  }
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}
