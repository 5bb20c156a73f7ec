import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { SANDBOX_MODELS } from "../models";
import { startSandbox, type Sandbox } from "../start";
import { chatCompletion, chatCompletionChunk, sseData } from "../test-support/openai-contract";

let sandbox: Sandbox;
const QWEN = SANDBOX_MODELS[0]!.servedModelName;

beforeAll(async () => {
  sandbox = await startSandbox({ dexPort: 0, litellmPort: 0, vllmPort: 0, githubPort: 0, kubePort: 0, tokenDelayMs: 0 });
});
afterAll(() => sandbox?.close());

async function chat(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${sandbox.urls.vllm}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

const messages = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Count the tokens, please!" },
];

describe("model-server simulator", () => {
  it("is healthy and lists the served model names", async () => {
    expect((await fetch(`${sandbox.urls.vllm}/health`)).status).toBe(200);
    const list = z
      .object({ object: z.literal("list"), data: z.array(z.object({ id: z.string(), object: z.literal("model"), owned_by: z.string(), max_model_len: z.number() })) })
      .parse(await (await fetch(`${sandbox.urls.vllm}/v1/models`)).json());
    expect(list.data.map((m) => m.id)).toEqual(SANDBOX_MODELS.map((m) => m.servedModelName));
  });

  it("answers deterministically with honest usage", async () => {
    const first = chatCompletion.parse(await (await chat({ model: QWEN, messages })).json());
    const second = chatCompletion.parse(await (await chat({ model: QWEN, messages })).json());
    expect(second.choices[0]!.message.content).toBe(first.choices[0]!.message.content);
    expect(first.usage.total_tokens).toBe(first.usage.prompt_tokens + first.usage.completion_tokens);
    // Two messages of 4 and 6 word/punctuation tokens, plus template overhead.
    expect(first.usage.prompt_tokens).toBe(2 + (4 + 4) + (4 + 6));
    const words = first.choices[0]!.message.content.trim().split(/\s+/).length;
    expect(first.usage.completion_tokens).toBe(words);
  });

  it("stops at max_tokens with finish_reason length", async () => {
    const res = chatCompletion.parse(await (await chat({ model: QWEN, messages, max_tokens: 3 })).json());
    expect(res.usage.completion_tokens).toBe(3);
    expect(res.choices[0]!.finish_reason).toBe("length");
  });

  it("streams one chunk per token, a usage chunk on request, then [DONE]", async () => {
    const res = await chat({ model: QWEN, messages, stream: true, stream_options: { include_usage: true }, max_tokens: 5 });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const data = sseData(await res.text());
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => chatCompletionChunk.parse(JSON.parse(d)));
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content);
    expect(contentChunks).toHaveLength(5);
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ completion_tokens: 5 });
  });

  it("rejects unknown models (404) and bad bodies (400) in vLLM's error shape", async () => {
    const unknown = await chat({ model: "gpt-4", messages });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { type: "NotFoundError", code: 404 } });
    const bad = await chat({ model: QWEN });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: "BadRequestError" } });
  });
});
