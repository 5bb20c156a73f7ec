/**
 * The "New run" form's values → the API's body. Pure, so it is tested without a browser; it
 * does not validate (the server's schema does, and answers with field errors), it only shapes.
 */
export type NewRunForm = {
  target: string; endpoint: string; directUrl: string; sweepKind: string; levels: string; stepKind: string; stepValue: string;
  warmupS: string; promptTokens: string; outputTokens: string; ttftMs: string; itlMs: string; name: string; gpuType: string; gpuCount: string;
};

const num = (v: string) => (v.trim() === "" ? undefined : Number(v));

export function newRunBody(f: NewRunForm): Record<string, unknown> {
  const [namespace = "", name = ""] = f.target.trim().split("/", 2);
  const slo = { ttftMs: num(f.ttftMs), itlMs: num(f.itlMs) };
  return {
    target: { kind: "deployment", namespace, name },
    endpoint: f.endpoint === "direct" ? "direct" : "gateway",
    ...(f.endpoint === "direct" && f.directUrl.trim() ? { directUrl: f.directUrl.trim() } : {}),
    sweep: { kind: f.sweepKind === "rate" ? "rate" : "concurrency", levels: f.levels.split(/[\s,]+/).filter(Boolean).map(Number) },
    step: f.stepKind === "requests" ? { requests: num(f.stepValue) } : { durationS: num(f.stepValue) },
    warmupS: num(f.warmupS) ?? 0,
    lengths: { kind: "fixed", promptTokens: num(f.promptTokens), outputTokens: num(f.outputTokens) },
    ...(slo.ttftMs !== undefined || slo.itlMs !== undefined ? { slo } : {}),
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
    ...(f.gpuType ? { gpuType: f.gpuType } : {}),
    ...(num(f.gpuCount) !== undefined ? { gpuCount: num(f.gpuCount) } : {}),
  };
}
