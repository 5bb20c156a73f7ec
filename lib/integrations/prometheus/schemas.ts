import { z } from "zod";

// Shapes from Prometheus's HTTP API (shared/reference/apis/prometheus-http-api.md). Objects are
// loose: newer Prometheus versions add fields (native histograms, stats) we do not read.

/** Sample values travel as strings ("1", "1e+00", "NaN", "+Inf", "-Inf") as Go formats floats. */
const INFINITIES: Record<string, number> = { "+Inf": Infinity, Inf: Infinity, "-Inf": -Infinity };
const sampleValue = z.string().transform((value, ctx) => {
  if (value in INFINITIES) return INFINITIES[value]!;
  const number = Number(value);
  if (!value.trim() || (Number.isNaN(number) && value !== "NaN")) {
    ctx.addIssue({ code: "custom", message: `not a sample value: ${value.slice(0, 40)}` });
    return z.NEVER;
  }
  return number;
});
const sample = z.tuple([z.number(), sampleValue]);
const labels = z.record(z.string(), z.string());

export const vectorSchema = z.object({
  resultType: z.literal("vector"),
  // Native-histogram samples carry `histogram` instead of `value`; we do not chart those.
  result: z.array(z.looseObject({ metric: labels, value: sample.optional() })),
});
export const matrixSchema = z.object({
  resultType: z.literal("matrix"),
  result: z.array(z.looseObject({ metric: labels, values: z.array(sample).default([]) })),
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
