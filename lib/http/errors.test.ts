import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, ERROR_STATUS, errorBodySchema, fieldErrors, notFound, toErrorBody, validationError } from "./errors";

function zodErrorOf(schema: z.ZodType, value: unknown): z.ZodError {
  const result = schema.safeParse(value);
  if (result.success) throw new Error("expected the value to be rejected");
  return result.error;
}

const schema = z.object({
  alias: z.string().min(3, "Too short"),
  limits: z.object({ rpm: z.number().positive("Must be positive") }),
  models: z.array(z.string()).min(1, "Pick one").refine((l) => l.length < 5, "Too many"),
});

describe("toErrorBody", () => {
  it("turns a ZodError into 422 with one entry per field path", () => {
    const error = zodErrorOf(schema, { alias: "a", limits: { rpm: -1 }, models: [] });
    const { status, body } = toErrorBody(error, "req-1");
    expect(status).toBe(422);
    expect(body).toEqual({
      error: {
        code: "validation",
        message: "Some fields are invalid",
        fields: { alias: ["Too short"], "limits.rpm": ["Must be positive"], models: ["Pick one"] },
        requestId: "req-1",
      },
    });
    expect(errorBodySchema.safeParse(body).success).toBe(true);
  });

  it("collects several messages for one field, and root issues under '_'", () => {
    const rootSchema = z.string().min(5, "Too short").regex(/^\d+$/, "Digits only");
    expect(fieldErrors(zodErrorOf(rootSchema, "ab"))).toEqual({ _: ["Too short", "Digits only"] });
  });

  it.each(Object.entries(ERROR_STATUS))("AppError %s → %i", (code, status) => {
    const error = new AppError(code as keyof typeof ERROR_STATUS, `message for ${code}`);
    const result = toErrorBody(error);
    expect(result.status).toBe(status);
    expect(result.body.error).toMatchObject({ code, message: `message for ${code}` });
  });

  it("keeps an AppError's field errors", () => {
    const error = new AppError("conflict", "Some fields are invalid", { alias: ["Taken"] });
    expect(toErrorBody(error, "r")).toEqual({
      status: 409,
      body: { error: { code: "conflict", message: "Some fields are invalid", fields: { alias: ["Taken"] }, requestId: "r" } },
    });
  });

  it("validationError and notFound map like the errors they stand for", () => {
    expect(toErrorBody(validationError(zodErrorOf(schema, {}))).status).toBe(422);
    expect(toErrorBody(notFound())).toMatchObject({ status: 404, body: { error: { code: "not_found", message: "Not found" } } });
  });

  const internals = [
    { name: "plain Error with SQL", error: new Error('duplicate key value violates unique constraint "api_keys_token_hash_key" DETAIL: Key (token_hash)=(abc)') },
    { name: "TypeError", error: new TypeError("Cannot read properties of undefined (reading 'tokenHash') at /app/lib/keys/create-key.ts:42") },
    { name: "Prisma-like error with a code", error: Object.assign(new Error("Invalid `db.apiKey.create()` invocation: secret sk-abcdef123456"), { code: "P2002" }) },
    { name: "thrown string", error: "postgres://admin:hunter2@db:5432/portal refused" },
    { name: "thrown object", error: { message: "upstream body: {\"detail\":\"master key sk-master\"}" } },
    { name: "undefined", error: undefined },
  ];

  it.each(internals)("unknown error ($name) → generic 500 without internals", ({ error }) => {
    const { status, body } = toErrorBody(error, "req-9");
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: "internal", message: "Something went wrong", requestId: "req-9" } });
    const wire = JSON.stringify(body);
    for (const leak of ["token_hash", "tokenHash", "create-key", "sk-", "hunter2", "P2002", "postgres"]) expect(wire).not.toContain(leak);
  });

  it("leaves requestId out when there is none", () => {
    expect(JSON.parse(JSON.stringify(toErrorBody(new Error("x")).body))).toEqual({ error: { code: "internal", message: "Something went wrong" } });
  });
});

describe("AppError", () => {
  it("is an Error with a status derived from its code", () => {
    const error = new AppError("rate_limited", "Slow down");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AppError");
    expect(error.status).toBe(429);
  });
});

describe("AppError across bundle chunks", () => {
  it("recognises a copy of itself and of its subclasses, by name, and nothing else", async () => {
    const { vi } = await import("vitest");
    const load = async () => {
      vi.resetModules();
      const http = await import("./errors");
      const prometheus = await import("@/lib/integrations/prometheus/errors");
      const metrics = await import("@/lib/metrics/errors");
      return { AppError: http.AppError, PrometheusError: prometheus.PrometheusError, MetricsParamError: metrics.MetricsParamError };
    };
    const one = await load();
    const two = await load();
    expect(one.AppError).not.toBe(two.AppError); // two copies, as two server chunks would have

    const down = new one.PrometheusError("unavailable", "Prometheus at http://p is unreachable");
    expect(down instanceof two.PrometheusError).toBe(true);
    expect(down instanceof two.AppError).toBe(true);
    expect(down instanceof two.MetricsParamError).toBe(false);

    const field = new one.MetricsParamError("query", "refused");
    expect(field instanceof two.MetricsParamError).toBe(true);
    expect(field instanceof two.PrometheusError).toBe(false);

    expect(new one.AppError("not_found", "Not found") instanceof two.PrometheusError).toBe(false);
    const impostor = Object.assign(new Error("x"), { name: "PrometheusError", code: "unavailable" });
    expect(impostor instanceof two.PrometheusError).toBe(false); // no brand, no match
    expect(new Error("plain") instanceof two.AppError).toBe(false);
  });
});
