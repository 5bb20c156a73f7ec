import type { EngineListener, FinishedRequest, FinishReason, StepRecord } from "./engine";
import { buckets125, Histogram, type Labels, type MetricFamily, type Sample } from "./prom-text";

/**
 * vLLM V1's Prometheus families (names, types, HELP, labels, buckets as in
 * vllm/v1/metrics/loggers.py; the family set is the one a v0.26.0 server exposes, see
 * ../../shared/reference/metrics). Observations follow vLLM's definitions: TTFT from the
 * API server's arrival time, queue time from entering the waiting queue to first scheduling,
 * prefill from scheduling to first token, decode from first to last token.
 */

const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];
const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];
const REQ_LAT_BUCKETS = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];
const ITER_BUCKETS = [1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];
const PARAMS_N_BUCKETS = [1, 2, 5, 10, 20];

const FINISH_REASONS: readonly FinishReason[] = ["stop", "length", "abort", "error"];
const PROMPT_SOURCES = ["local_compute", "local_cache_hit", "external_kv_transfer"] as const;

export interface MetricsConfig {
  modelName: string;
  maxModelLen: number;
  /** CacheConfig fields, exposed as labels of `vllm:cache_config_info`. */
  cacheConfig: Readonly<Record<string, string>>;
  /** For the estimated-FLOPs/bytes counters; 0 when the server has no hardware profile. */
  flopsPerTokenPerGpu: number;
  weightBytesPerGpu: number;
  kvBytesPerTokenPerGpu: number;
}

export interface LiveGauges {
  running: number;
  waiting: number;
  kvCacheUsage: number;
}

const HISTOGRAMS = {
  ttft: ["vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", TTFT_BUCKETS],
  itl: ["vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", ITL_BUCKETS],
  tpot: ["vllm:request_time_per_output_token_seconds", "Histogram of time_per_output_token_seconds per request.", ITL_BUCKETS],
  e2e: ["vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", REQ_LAT_BUCKETS],
  queue: ["vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", REQ_LAT_BUCKETS],
  inference: ["vllm:request_inference_time_seconds", "Histogram of time spent in RUNNING phase for request.", REQ_LAT_BUCKETS],
  prefill: ["vllm:request_prefill_time_seconds", "Histogram of time spent in PREFILL phase for request.", REQ_LAT_BUCKETS],
  decode: ["vllm:request_decode_time_seconds", "Histogram of time spent in DECODE phase for request.", REQ_LAT_BUCKETS],
  iteration: ["vllm:iteration_tokens_total", "Histogram of number of tokens per engine_step.", ITER_BUCKETS],
  paramsN: ["vllm:request_params_n", "Histogram of the n request parameter.", PARAMS_N_BUCKETS],
} as const;

const TOKEN_HISTOGRAMS = {
  promptTokens: ["vllm:request_prompt_tokens", "Number of prefill tokens processed."],
  generationTokens: ["vllm:request_generation_tokens", "Number of generation tokens processed."],
  maxGeneration: ["vllm:request_max_num_generation_tokens", "Histogram of maximum number of requested generation tokens."],
  maxTokens: ["vllm:request_params_max_tokens", "Histogram of the max_tokens request parameter."],
  prefillKv: ["vllm:request_prefill_kv_computed_tokens", "Histogram of new KV tokens computed during prefill (excluding cached tokens)."],
} as const;

type HistogramKey = keyof typeof HISTOGRAMS | keyof typeof TOKEN_HISTOGRAMS;

/** Counts and histograms of one engine; gauges are read live at render time. */
export class VllmMetrics implements EngineListener {
  promptTokens = 0;
  generationTokens = 0;
  preemptions = 0;
  requestsFinished = 0;
  private readonly success = new Map<FinishReason, number>(FINISH_REASONS.map((r) => [r, 0]));
  private flops = 0;
  private readBytes = 0;
  private writeBytes = 0;
  private readonly histograms: Record<HistogramKey, Histogram>;

  constructor(readonly config: MetricsConfig) {
    const tokenBuckets = buckets125(config.maxModelLen);
    this.histograms = {
      ...(Object.fromEntries(Object.entries(HISTOGRAMS).map(([k, [, , b]]) => [k, new Histogram(b)])) as Record<keyof typeof HISTOGRAMS, Histogram>),
      ...(Object.fromEntries(Object.keys(TOKEN_HISTOGRAMS).map((k) => [k, new Histogram(tokenBuckets)])) as Record<keyof typeof TOKEN_HISTOGRAMS, Histogram>),
    };
  }

  onFirstToken(r: FinishedRequest): void {
    this.promptTokens += r.promptTokens;
    if (r.firstTokenMs !== undefined) this.histograms.ttft.observe((r.firstTokenMs - r.arrivalMs) / 1000);
  }

  onToken(now: number, previousTokenMs: number | undefined): void {
    this.generationTokens++;
    if (previousTokenMs !== undefined) this.histograms.itl.observe((now - previousTokenMs) / 1000);
  }

  onStep(step: StepRecord): void {
    this.histograms.iteration.observe(step.tokens);
    this.flops += step.tokens * this.config.flopsPerTokenPerGpu;
    this.readBytes += this.config.weightBytesPerGpu;
    this.writeBytes += step.tokens * this.config.kvBytesPerTokenPerGpu;
  }

  onPreemption(): void {
    this.preemptions++;
  }

  onFinished(r: FinishedRequest): void {
    const h = this.histograms;
    this.requestsFinished++;
    this.success.set(r.finishReason, (this.success.get(r.finishReason) ?? 0) + 1);
    h.e2e.observe((r.finishedMs - r.arrivalMs) / 1000);
    h.promptTokens.observe(r.promptTokens);
    h.generationTokens.observe(r.generatedTokens);
    h.maxGeneration.observe(r.maxTokens);
    h.maxTokens.observe(r.maxTokens);
    h.paramsN.observe(1);
    if (r.scheduledMs !== undefined && r.queuedMs !== undefined) h.queue.observe((r.scheduledMs - r.queuedMs) / 1000);
    if (r.scheduledMs !== undefined && r.firstTokenMs !== undefined) {
      h.prefill.observe((r.firstTokenMs - r.scheduledMs) / 1000);
      h.prefillKv.observe(r.promptTokens);
    }
    if (r.scheduledMs !== undefined && r.lastTokenMs !== undefined) h.inference.observe((r.lastTokenMs - r.scheduledMs) / 1000);
    if (r.firstTokenMs !== undefined && r.lastTokenMs !== undefined) {
      const decodeSeconds = (r.lastTokenMs - r.firstTokenMs) / 1000;
      h.decode.observe(decodeSeconds);
      if (r.generatedTokens > 1) h.tpot.observe(decodeSeconds / (r.generatedTokens - 1));
    }
  }

  families(live: LiveGauges): MetricFamily[] {
    const base: Labels = { model_name: this.config.modelName, engine: "0" };
    const one = (value: number, extra: Labels = {}): Sample => ({ suffix: "", labels: { ...base, ...extra }, value });
    const gauge = (name: string, help: string, samples: Sample[]): MetricFamily => ({ name, type: "gauge", help, samples });
    const counter = (name: string, help: string, samples: Sample[]): MetricFamily => ({ name, type: "counter", help, samples });
    const histogram = (key: HistogramKey, name: string, help: string): MetricFamily => ({
      name,
      type: "histogram",
      help,
      samples: this.histograms[key].samples(base),
    });
    return [
      gauge("vllm:num_requests_running", "Number of requests in model execution batches.", [one(live.running)]),
      gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", [one(live.waiting)]),
      gauge(
        "vllm:num_requests_waiting_by_reason",
        "Number of waiting requests by reason. Reason labels: 'capacity' = waiting for scheduling capacity; 'deferred' = deferred by transient constraints (LoRA budget, KV transfer, blocked status). Sum of all reasons equals vllm:num_requests_waiting.",
        [one(live.waiting, { reason: "capacity" }), one(0, { reason: "deferred" })],
      ),
      gauge(
        "vllm:engine_sleep_state",
        "Engine sleep state; awake = 0 means engine is sleeping; awake = 1 means engine is awake; weights_offloaded = 1 means sleep level 1; discard_all = 1 means sleep level 2.",
        [one(1, { sleep_state: "awake" }), one(0, { sleep_state: "weights_offloaded" }), one(0, { sleep_state: "discard_all" })],
      ),
      gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", [one(live.kvCacheUsage)]),
      // An info metric emulated as a gauge: CacheConfig fields plus the engine, no model_name.
      gauge("vllm:cache_config_info", "Information of the LLMEngine CacheConfig", [
        { suffix: "", labels: { ...this.config.cacheConfig, engine: "0" }, value: 1 },
      ]),
      counter("vllm:prefix_cache_queries_total", "Prefix cache queries, in terms of number of queried tokens.", [one(this.promptTokens)]),
      counter("vllm:prefix_cache_hits_total", "Prefix cache hits, in terms of number of cached tokens.", [one(0)]),
      counter(
        "vllm:external_prefix_cache_queries_total",
        "External prefix cache queries from KV connector cross-instance cache sharing, in terms of number of queried tokens.",
        [one(0)],
      ),
      counter(
        "vllm:external_prefix_cache_hits_total",
        "External prefix cache hits from KV connector cross-instance cache sharing, in terms of number of cached tokens.",
        [one(0)],
      ),
      counter("vllm:mm_cache_queries_total", "Multi-modal cache queries, in terms of number of queried items.", [one(0)]),
      counter("vllm:mm_cache_hits_total", "Multi-modal cache hits, in terms of number of cached items.", [one(0)]),
      counter("vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", [one(this.preemptions)]),
      counter("vllm:prompt_tokens_total", "Number of prefill tokens processed.", [one(this.promptTokens)]),
      counter(
        "vllm:prompt_tokens_by_source_total",
        "Number of prompt tokens by source.",
        PROMPT_SOURCES.map((source) => one(source === "local_compute" ? this.promptTokens : 0, { source })),
      ),
      counter("vllm:prompt_tokens_cached_total", "Number of cached prompt tokens (local + external).", [one(0)]),
      counter("vllm:generation_tokens_total", "Number of generation tokens processed.", [one(this.generationTokens)]),
      counter(
        "vllm:request_success_total",
        "Count of successfully processed requests.",
        FINISH_REASONS.map((reason) => one(this.success.get(reason) ?? 0, { finished_reason: reason })),
      ),
      // HELP of the three estimate counters is not in our reference; worded after their names.
      counter("vllm:estimated_flops_per_gpu_total", "Estimated number of floating point operations per GPU.", [one(this.flops)]),
      counter("vllm:estimated_read_bytes_per_gpu_total", "Estimated number of bytes read from memory per GPU.", [one(this.readBytes)]),
      counter("vllm:estimated_write_bytes_per_gpu_total", "Estimated number of bytes written to memory per GPU.", [one(this.writeBytes)]),
      ...Object.entries(HISTOGRAMS).map(([key, [name, help]]) => histogram(key as HistogramKey, name, help)),
      ...Object.entries(TOKEN_HISTOGRAMS).map(([key, [name, help]]) => histogram(key as HistogramKey, name, help)),
    ];
  }
}
