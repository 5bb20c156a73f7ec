export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** Tiny fetch wrapper for talking to the LiteLLM stand-in in tests. */
export function litellmApi(baseUrl: string, masterKey: string) {
  const call = async (method: "GET" | "POST", path: string, body?: unknown, key: string | null = masterKey): Promise<ApiResponse> => {
    const headers: Record<string, string> = {};
    if (key !== null) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined; // SSE or plain text; callers use `text`.
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  return {
    get: (path: string, key?: string | null) => call("GET", path, undefined, key),
    post: (path: string, body: unknown, key?: string | null) => call("POST", path, body, key),
    chat: (key: string, body: Record<string, unknown>) => call("POST", "/v1/chat/completions", body, key),
  };
}

export type LiteLLMApi = ReturnType<typeof litellmApi>;

let counter = 0;
/** Unique ids per test so tests sharing one sandbox never collide. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}
