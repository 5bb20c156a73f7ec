import { z } from "zod";

// Shapes from Prometheus's HTTP API (shared/reference/apis/prometheus-http-api.md). Objects are
// loose: newer Prometheus versions add fields (native histograms, stats) we do not read.

/** Sample values travel as strings ("1", "1e+00", "NaN", "+Inf", "-Inf") as Go formats floats. */
const INFINITIES: Record<string, number> = { "+Inf": Infinity, Inf: Infinity, "-Inf": -Infinity };
const sampleValue = z.string().transform((value, ctx) => {
  const number = sampleNumber(value);
  if (number === undefined) {
    ctx.addIssue({ code: "custom", message: `not a sample value: ${value.slice(0, 40)}` });
    return z.NEVER;
  }
  return number;
});
const sample = z.tuple([z.number(), sampleValue]);

/** A sample value as a number, or undefined when it is not one Prometheus would send. */
function sampleNumber(value: string): number | undefined {
  if (value in INFINITIES) return INFINITIES[value]!;
  const number = Number(value);
  return !value.trim() || (Number.isNaN(number) && value !== "NaN") ? undefined : number;
}

/**
 * A range vector's samples, checked as strictly as `z.array(sample)` but in one loop: a day of
 * a dozen panels is tens of thousands of samples, and per-element schema parsing cost more than
 * the query itself.
 */
const samples = z.unknown().transform((raw, ctx): Array<[number, number]> => {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    ctx.addIssue({ code: "custom", message: "values: expected an array of samples" });
    return z.NEVER;
  }
  const out = new Array<[number, number]>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const s: unknown = raw[i];
    const time = Array.isArray(s) && s.length === 2 && typeof s[0] === "number" && typeof s[1] === "string" ? s[0] : undefined;
    const value = time === undefined ? undefined : sampleNumber((s as [number, string])[1]);
    if (time === undefined || value === undefined) {
      ctx.addIssue({ code: "custom", path: [i], message: `not a [time, "value"] sample: ${JSON.stringify(s)?.slice(0, 60)}` });
      return z.NEVER;
    }
    out[i] = [time, value];
  }
  return out;
});
const labels = z.record(z.string(), z.string());

export const vectorSchema = z.object({
  resultType: z.literal("vector"),
  // Native-histogram samples carry `histogram` instead of `value`; we do not chart those.
  result: z.array(z.looseObject({ metric: labels, value: sample.optional() })),
});
export const matrixSchema = z.object({
  resultType: z.literal("matrix"),
  result: z.array(z.looseObject({ metric: labels, values: samples })),
});
export const scalarSchema = z.object({ resultType: z.literal("scalar"), result: sample });
export const stringSchema = z.object({ resultType: z.literal("string"), result: z.tuple([z.number(), z.string()]) });

export const queryDataSchema = z.discriminatedUnion("resultType", [vectorSchema, matrixSchema, scalarSchema, stringSchema]);
export type QueryData = z.infer<typeof queryDataSchema>;
export type MatrixData = z.infer<typeof matrixSchema>;

export const seriesDataSchema = z.array(labels);
export const stringListSchema = z.array(z.string());

export const alertSchema = z.looseObject({
  labels,
  annotations: labels.default({}),
  state: z.string(),
  activeAt: z.string().optional(),
  value: z.string().optional(),
});
export const alertsDataSchema = z.looseObject({ alerts: z.array(alertSchema) });
export type PrometheusAlert = z.infer<typeof alertSchema>;

/** The envelope every endpoint answers with, success or error. */
export const envelopeSchema = z.looseObject({
  status: z.enum(["success", "error"]),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  infos: z.array(z.string()).optional(),
});
