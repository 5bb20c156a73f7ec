/**
 * Request bodies for the traffic generator. Prompt length drives prefill work and KV-cache use
 * in the simulator, so the mix decides what the dashboards show: `short` is chat, `long` is
 * RAG-style context stuffing, `mixed` is 80/20.
 */
export const PROMPT_MIXES = ["short", "long", "mixed"] as const;
export type PromptMix = (typeof PROMPT_MIXES)[number];

const WORDS = ["gpu", "cluster", "tenant", "latency", "budget", "queue", "replica", "token", "model", "cache", "batch", "prefill", "decode", "scheduler", "gateway"];

/** A deterministic pseudo-random source, so a run can be repeated with the same seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

function text(words: number, random: () => number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");
}

export function chatBody(model: string, mix: PromptMix, random: () => number): Record<string, unknown> {
  const long = mix === "long" || (mix === "mixed" && random() < 0.2);
  const promptWords = long ? 600 + Math.floor(random() * 1200) : 10 + Math.floor(random() * 40);
  const maxTokens = long ? 64 + Math.floor(random() * 192) : 32 + Math.floor(random() * 224);
  return {
    model,
    stream: true,
    max_tokens: maxTokens,
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: `${long ? "Summarise this context: " : ""}${text(promptWords, random)}` },
    ],
  };
}
