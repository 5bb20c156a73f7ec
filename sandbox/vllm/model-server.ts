import { Engine, type EngineConfig, type FinishedRequest } from "./engine";
import { VllmMetrics } from "./metrics";
import { stepDurationMs, type ServingProfile } from "./profiles";
import { renderFamilies } from "./prom-text";
import { countPromptTokens, countTextTokens, planReply } from "./text-gen";

export interface ModelServerOptions {
  servedModelName: string;
  maxModelLen: number;
  /** Hardware profile: the batching engine paces tokens with its step-cost model. */
  profile?: ServingProfile;
  /**
   * Without a profile: constant time per token, independent of load (the old pacing, for tests
   * that only care about the API). Ignored when a profile is given.
   */
  tokenDelayMs?: number;
}

export interface GenerationRequest {
  messageTexts: string[];
  maxTokens: number;
  /** vLLM's `ignore_eos`: generate exactly maxTokens. */
  ignoreEos?: boolean;
  /** false for /v1/completions: the prompt is tokenized as is, without chat-template tokens. */
  chatTemplate?: boolean;
}

export interface Generation {
  promptTokens: number;
  finishReason: "stop" | "length";
  /** Tokens the reply will have unless aborted, so that a stream can mark its last chunk. */
  plannedTokens: number;
  /** Yields one text piece per completion token, paced like a model server. */
  pieces: AsyncGenerator<string>;
}

/** What the DCGM simulator and the fleet read to drive GPU utilization, power and scaling. */
export interface ModelServerSnapshot {
  running: number;
  waiting: number;
  /** 0..1, like vllm:kv_cache_usage_perc. */
  kvCacheUsage: number;
  /** 0..1: share of the last ~1 s the engine was stepping. */
  gpuBusy: number;
  promptTokens: number;
  generationTokens: number;
  requestsFinished: number;
  preemptions: number;
}

export class ContextLengthError extends Error {}

/** Without a profile nothing limits the batch: every request runs at the constant pace. */
function constantPaceConfig(tokenDelayMs: number): EngineConfig {
  return {
    maxNumSeqs: Infinity,
    maxNumBatchedTokens: Infinity,
    blockSize: 16,
    numGpuBlocks: Infinity,
    frontendMs: 0,
    stepMs: () => tokenDelayMs,
  };
}

function profileConfig(profile: ServingProfile): EngineConfig {
  return {
    maxNumSeqs: profile.maxNumSeqs,
    maxNumBatchedTokens: profile.maxNumBatchedTokens,
    blockSize: profile.blockSize,
    numGpuBlocks: profile.numGpuBlocks,
    frontendMs: profile.frontendMs,
    stepMs: (step) => stepDurationMs(profile, step),
  };
}

/** CacheConfig as vLLM reports it in `vllm:cache_config_info` (Python str() of each field). */
function cacheConfigLabels(profile: ServingProfile | undefined): Record<string, string> {
  return {
    block_size: String(profile?.blockSize ?? 16),
    cache_dtype: "auto",
    calculate_kv_scales: "False",
    cpu_offload_gb: "0",
    enable_prefix_caching: "True",
    gpu_memory_utilization: String(profile?.gpuMemoryUtilization ?? 0.9),
    is_attention_free: "False",
    num_cpu_blocks: "None",
    num_gpu_blocks: profile ? String(profile.numGpuBlocks) : "None",
    num_gpu_blocks_override: "None",
    prefix_caching_hash_algo: "sha256",
    sliding_window: "None",
    swap_space: "4",
  };
}

/**
 * One served model, as one vLLM instance would be: a continuous-batching engine, its metrics
 * and the text it generates. The HTTP layer only sees `start()`.
 */
export class ModelServer {
  private readonly engine: Engine;
  private readonly metrics: VllmMetrics;

  constructor(readonly options: ModelServerOptions) {
    const { profile } = options;
    this.engine = new Engine(profile ? profileConfig(profile) : constantPaceConfig(options.tokenDelayMs ?? 0));
    this.metrics = new VllmMetrics({
      modelName: options.servedModelName,
      maxModelLen: options.maxModelLen,
      cacheConfig: cacheConfigLabels(profile),
      flopsPerTokenPerGpu: profile ? profile.flopsPerToken / profile.gpusPerReplica : 0,
      weightBytesPerGpu: profile?.weightBytesPerGpu ?? 0,
      kvBytesPerTokenPerGpu: profile ? profile.kvBytesPerToken / profile.gpusPerReplica : 0,
    });
    this.engine.addListener(this.metrics);
  }

  get name(): string {
    return this.options.servedModelName;
  }

  /** Requests in the running batch (vLLM's `num_requests_running`). */
  get running(): number {
    return this.engine.numRunning;
  }

  get completedRequests(): number {
    return this.metrics.requestsFinished;
  }

  get generatedTokens(): number {
    return this.metrics.generationTokens;
  }

  get promptTokensTotal(): number {
    return this.metrics.promptTokens;
  }

  snapshot(): ModelServerSnapshot {
    return {
      running: this.engine.numRunning,
      waiting: this.engine.numWaiting,
      kvCacheUsage: this.engine.kvCacheUsage,
      gpuBusy: this.engine.gpuBusy(),
      promptTokens: this.metrics.promptTokens,
      generationTokens: this.metrics.generationTokens,
      requestsFinished: this.metrics.requestsFinished,
      preemptions: this.metrics.preemptions,
    };
  }

  /** vLLM's /metrics for this model (Prometheus text format 0.0.4). */
  metricsText(): string {
    return renderFamilies(this.metricFamilies());
  }

  /** The families alone, so that a multi-model server can merge them into one exposition. */
  metricFamilies() {
    return this.metrics.families({ running: this.engine.numRunning, waiting: this.engine.numWaiting, kvCacheUsage: this.engine.kvCacheUsage });
  }

  /** Ground truth per finished request (server-side timings), for tests; returns unsubscribe. */
  onRequestFinished(listener: (request: FinishedRequest) => void): () => void {
    return this.engine.addListener({ onFinished: listener });
  }

  start(request: GenerationRequest, signal?: AbortSignal): Generation {
    const promptTokens =
      request.chatTemplate === false ? countTextTokens(request.messageTexts.join("\n")) : countPromptTokens(request.messageTexts);
    // vLLM will not start with a context longer than its KV cache holds; the cap is the same.
    const limit = Math.min(this.options.maxModelLen, this.options.profile?.kvCacheTokens ?? Infinity);
    if (promptTokens + request.maxTokens > limit) {
      throw new ContextLengthError(
        `This model's maximum context length is ${limit} tokens. However, you requested ` +
          `${promptTokens + request.maxTokens} tokens (${promptTokens} in the messages, ${request.maxTokens} in the completion). ` +
          "Please reduce the length of the messages or completion.",
      );
    }
    const plan = planReply(request.messageTexts.join("\n"), request.maxTokens, request.ignoreEos === true);
    return { promptTokens, finishReason: plan.finishReason, plannedTokens: plan.pieces.length, pieces: this.stream(plan.pieces, promptTokens, request.maxTokens, plan.finishReason, signal) };
  }

  private stream(pieces: string[], promptTokens: number, maxTokens: number, finishReason: "stop" | "length", signal?: AbortSignal): AsyncGenerator<string> {
    let produced = 0;
    let ended = false;
    let wake: (() => void) | undefined;
    const handle = this.engine.submit({
      promptTokens,
      maxTokens,
      outputTokens: pieces.length,
      finishReason,
      onToken: () => {
        produced++;
        wake?.();
      },
      onFinish: () => {
        ended = true;
        wake?.();
      },
    });
    // The client going away aborts the request in the engine, freeing its slot and KV blocks.
    if (signal?.aborted) handle.abort();
    else signal?.addEventListener("abort", () => handle.abort(), { once: true });

    return (async function* () {
      let next = 0;
      try {
        for (;;) {
          if (next < produced) {
            yield pieces[next++]!;
            continue;
          }
          if (ended) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        handle.abort(); // no-op once finished; frees the slot if the consumer stopped early
      }
    })();
  }
}
