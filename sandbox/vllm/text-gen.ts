/**
 * Deterministic stand-in for a language model: the same prompt always yields the
 * same reply, so tests can assert on token counts and spend.
 */

const VOCABULARY = [
  "the", "model", "server", "returns", "tokens", "for", "your", "request", "and",
  "this", "sandbox", "reply", "is", "generated", "from", "a", "small", "vocabulary",
  "so", "that", "tests", "stay", "fast", "latency", "budget", "team", "key", "cluster",
  "inference", "platform", "portal", "gateway", "stream", "batch", "queue", "cache",
  "throughput", "prompt", "answer", "simple", "deterministic", "words", "with", "honest",
  "usage", "numbers", "every", "time", "you", "ask",
];

/** FNV-1a, enough to turn a prompt into a stable seed. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: tiny seeded PRNG; quality is irrelevant, determinism is the point. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Rough tokenizer: words and punctuation marks are one token each. Real
 * tokenizers split finer, but the count is stable and grows with the text.
 */
export function countTextTokens(text: string): number {
  return text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)?.length ?? 0;
}

// Chat templates wrap each message in role markers; vLLM counts those too.
const PER_MESSAGE_OVERHEAD = 4;
const REPLY_PRIMING = 2;

export function countPromptTokens(messageTexts: readonly string[]): number {
  return messageTexts.reduce((sum, text) => sum + PER_MESSAGE_OVERHEAD + countTextTokens(text), REPLY_PRIMING);
}

export interface PlannedReply {
  /** Text pieces, one per completion token (leading space included). */
  pieces: string[];
  finishReason: "stop" | "length";
}

const MIN_NATURAL_LENGTH = 8;
const NATURAL_LENGTH_SPREAD = 40;

/**
 * Plans a reply of a prompt-dependent natural length, cut at `maxTokens`. With `ignoreEos`
 * (vLLM's sampling extension that benchmarks use) it runs to `maxTokens` regardless.
 */
export function planReply(promptText: string, maxTokens: number, ignoreEos = false): PlannedReply {
  const random = prng(hash32(promptText));
  const natural = ignoreEos ? Infinity : MIN_NATURAL_LENGTH + Math.floor(random() * NATURAL_LENGTH_SPREAD);
  const length = Math.min(natural, maxTokens);
  const pieces: string[] = [];
  for (let i = 0; i < length; i++) {
    const word = VOCABULARY[Math.floor(random() * VOCABULARY.length)] ?? "token";
    const isLast = i === natural - 1;
    const text = i === 0 ? word[0]!.toUpperCase() + word.slice(1) : ` ${word}`;
    pieces.push(isLast ? `${text}.` : text);
  }
  return { pieces, finishReason: natural > maxTokens ? "length" : "stop" };
}
