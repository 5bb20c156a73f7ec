/** What every figure means (lib/benchmarks/DEFINITIONS.md, the same words). */
export function Definitions() {
  return (
    <details className="rounded-md border p-3 text-sm" id="definitions">
      <summary className="cursor-pointer font-medium">Definitions</summary>
      <p className="mt-2 text-muted-foreground">We follow vLLM&apos;s <code>vllm bench serve</code> conventions, so an imported vLLM result and a portal run give the same figure the same name. Latencies in ms; percentiles by linear interpolation.</p>
      <dl className="mt-2 grid gap-1 [&_dt]:font-medium">
        <dt>Start of a request</dt><dd>Its intended send time: the Poisson schedule in a rate sweep (no coordinated omission), the end of the slot&apos;s previous request in a concurrency sweep. The runner&apos;s own lateness is the scheduling delay; a step with p99 ≥ 1 ms is flagged <code>client-bound</code>.</dd>
        <dt>TTFT</dt><dd>First chunk carrying generated text − start.</dd>
        <dt>ITL</dt><dd>Every gap between consecutive content chunks (a chunk carrying several tokens is one gap).</dd>
        <dt>TPOT</dt><dd>(E2E − TTFT) / (output tokens − 1), per request; undefined below 2 tokens.</dd>
        <dt>E2E</dt><dd>End of stream − start.</dd>
        <dt>Throughput</dt><dd>Completed requests, output tokens and input+output tokens ÷ step duration; token counts only from the server&apos;s <code>usage</code>.</dd>
        <dt>Goodput</dt><dd>Requests/s that succeeded with TTFT ≤ the TTFT SLO and TPOT ≤ the ITL SLO (like vLLM&apos;s <code>--goodput tpot:</code>).</dd>
        <dt>Error rate</dt><dd>Failed ÷ (completed + failed); a stream without <code>[DONE]</code> or usage is failed.</dd>
      </dl>
      <p className="mt-2 text-muted-foreground">How others differ: GuideLLM&apos;s <code>inter_token_latency_ms</code> is our TPOT (imports map it there) and its <code>time_per_output_token_ms</code> includes the first token; AIPerf&apos;s &quot;inter token latency&quot; is also the per-request average (TPOT); inference-perf reports TPOT as vLLM and ITL as raw gaps, in seconds (imports convert).</p>
    </details>
  );
}
