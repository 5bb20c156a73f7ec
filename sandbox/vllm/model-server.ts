import { countPromptTokens, planReply } from "./text-gen";

export interface ModelServerOptions {
  servedModelName: string;
  maxModelLen: number;
  /** Time per generated token. Later latency physics replace this constant. */
  tokenDelayMs: number;
}

export interface GenerationRequest {
  messageTexts: string[];
  maxTokens: number;
}

export interface Generation {
  promptTokens: number;
  finishReason: "stop" | "length";
  /** Yields one text piece per completion token, paced like a model server. */
  pieces: AsyncGenerator<string>;
}

export class ContextLengthError extends Error {}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/**
 * One served model, as one vLLM instance would be. Owns timing and load
 * counters so that metrics and queueing can be added here without touching
 * the HTTP layer.
 */
export class ModelServer {
  /** Requests currently generating (vLLM's `num_requests_running`). */
  running = 0;
  completedRequests = 0;
  generatedTokens = 0;
  promptTokensTotal = 0;

  constructor(readonly options: ModelServerOptions) {}

  get name(): string {
    return this.options.servedModelName;
  }

  start(request: GenerationRequest, signal?: AbortSignal): Generation {
    const promptTokens = countPromptTokens(request.messageTexts);
    if (promptTokens + request.maxTokens > this.options.maxModelLen) {
      throw new ContextLengthError(
        `This model's maximum context length is ${this.options.maxModelLen} tokens. However, you requested ` +
          `${promptTokens + request.maxTokens} tokens (${promptTokens} in the messages, ${request.maxTokens} in the completion). ` +
          "Please reduce the length of the messages or completion.",
      );
    }
    const plan = planReply(request.messageTexts.join("\n"), request.maxTokens);
    return { promptTokens, finishReason: plan.finishReason, pieces: this.pace(plan.pieces, promptTokens, signal) };
  }

  private async *pace(pieces: string[], promptTokens: number, signal?: AbortSignal): AsyncGenerator<string> {
    this.running++;
    this.promptTokensTotal += promptTokens;
    try {
      for (const piece of pieces) {
        await sleep(this.options.tokenDelayMs, signal);
        if (signal?.aborted) return;
        this.generatedTokens++;
        yield piece;
      }
      this.completedRequests++;
    } finally {
      this.running--;
    }
  }
}
