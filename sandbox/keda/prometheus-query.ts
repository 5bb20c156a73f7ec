import { z } from "zod";

/**
 * One trigger query against Prometheus's HTTP API, with the Prometheus scaler's rules: the
 * result must be a single-element vector or a scalar; an empty result, NaN or ±Inf is 0 with
 * `ignoreNullValues` (the default) and an error without it.
 */

const sample = z.tuple([z.number(), z.string()]);
const responseSchema = z.object({
  status: z.literal("success"),
  data: z.discriminatedUnion("resultType", [
    z.object({ resultType: z.literal("vector"), result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sample })) }),
    z.object({ resultType: z.literal("scalar"), result: sample }),
    z.object({ resultType: z.literal("matrix"), result: z.array(z.unknown()) }),
    z.object({ resultType: z.literal("string"), result: sample }),
  ]),
});

export class TriggerQueryError extends Error {}

export async function queryTrigger(prometheusUrl: string, query: string, ignoreNullValues: boolean, timeoutMs = 5_000): Promise<number> {
  let res: Response;
  try {
    res = await fetch(`${prometheusUrl}/api/v1/query`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new TriggerQueryError(`prometheus unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const body: unknown = await res.json().catch(() => undefined);
  const parsed = responseSchema.safeParse(body);
  if (!res.ok || !parsed.success) {
    const error = z.object({ error: z.string() }).safeParse(body);
    throw new TriggerQueryError(`prometheus query failed (${res.status}): ${error.success ? error.data.error : "unexpected response"}`);
  }
  const data = parsed.data.data;
  let raw: string | undefined;
  if (data.resultType === "scalar") raw = data.result[1];
  else if (data.resultType === "vector") {
    if (data.result.length > 1) throw new TriggerQueryError("prometheus query returned multiple elements");
    raw = data.result[0]?.value[1];
  } else throw new TriggerQueryError(`prometheus query returned a ${data.resultType}, not a vector or scalar`);
  const value = raw === undefined ? Number.NaN : Number(raw);
  if (Number.isFinite(value)) return value;
  if (ignoreNullValues) return 0;
  throw new TriggerQueryError(raw === undefined ? "prometheus metrics returned an empty result" : `prometheus query returned ${raw}`);
}
