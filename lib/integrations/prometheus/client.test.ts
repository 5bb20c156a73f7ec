import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPrometheusClient } from "./client";
import { PrometheusError } from "./errors";

// Reference responses vendored from Prometheus's docs (shared/reference/apis), inlined here so the
// test runs in a fresh clone too.
const vectorExample = {
  status: "success",
  data: { resultType: "vector", result: [{ metric: { __name__: "up", job: "prometheus", instance: "localhost:9090" }, value: [1435781451.781, "1"] }, { metric: { __name__: "up", job: "node", instance: "localhost:9100" }, value: [1435781451.781, "0"] }] },
};
const matrixExample = {
  status: "success",
  data: { resultType: "matrix", result: [{ metric: { __name__: "up", job: "prometheus", instance: "localhost:9090" }, values: [[1435781430.781, "1"], [1435781445.781, "1"], [1435781460.781, "1"]] }] },
};

type Seen = { url: string; init: RequestInit };

function fake(respond: (seen: Seen) => Response | Promise<Response>) {
  const calls: Seen[] = [];
  const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
    const seen = { url: String(url), init: init ?? {} };
    calls.push(seen);
    return respond(seen);
  }) as typeof fetch;
  return { calls, client: createPrometheusClient({ url: "http://prom.test:9090/", bearerToken: "s3cret-token", timeoutMs: 2000, fetch: fetchImpl }) };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

async function failure(promise: Promise<unknown>): Promise<PrometheusError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PrometheusError);
    return error as PrometheusError;
  }
  throw new Error("expected a PrometheusError");
}

describe("Prometheus client requests", () => {
  it("POSTs queries form-encoded with timeout= and the bearer token", async () => {
    const { client, calls } = fake(() => json(matrixExample));
    const long = `sum(rate(x{model_name="a&b=c"}[5m])) ${"+ 1 ".repeat(2000)}`;
    await client.queryRange(long, 100, 200, 15);
    const { url, init } = calls[0]!;
    expect(url).toBe("http://prom.test:9090/api/v1/query_range");
    expect(init.method).toBe("POST");
    expect((init.headers as Record<string, string>)["content-type"]).toBe("application/x-www-form-urlencoded");
    expect((init.headers as Record<string, string>).authorization).toBe("Bearer s3cret-token");
    const form = new URLSearchParams(String(init.body));
    expect(form.get("query")).toBe(long);
    expect([form.get("start"), form.get("end"), form.get("step"), form.get("timeout")]).toEqual(["100", "200", "15", "1750ms"]);
  });

  it("sends repeated match[] for series and label values", async () => {
    const { client, calls } = fake(() => json({ status: "success", data: [] }));
    await client.series(['up{a="1"}', "down"], 1, 2);
    expect(new URLSearchParams(String(calls[0]!.init.body)).getAll("match[]")).toEqual(['up{a="1"}', "down"]);
    await client.labelValues("model_name", ['vllm:x{namespace="a"}']);
    expect(calls[1]!.url).toBe("http://prom.test:9090/api/v1/label/model_name/values?match%5B%5D=vllm%3Ax%7Bnamespace%3D%22a%22%7D");
  });
});

describe("Prometheus client responses", () => {
  it("parses the reference vector and matrix examples", async () => {
    const { client } = fake(({ url }) => json(url.endsWith("query") ? vectorExample : matrixExample));
    const vector = await client.query("up");
    expect(vector.data.resultType).toBe("vector");
    if (vector.data.resultType === "vector") expect(vector.data.result.map((r) => r.value?.[1])).toEqual([1, 0]);
    const matrix = await client.queryRange("up", 1, 2, 15);
    if (matrix.data.resultType !== "matrix") throw new Error("matrix expected");
    expect(matrix.data.result[0]!.values).toEqual([[1435781430.781, 1], [1435781445.781, 1], [1435781460.781, 1]]);
  });

  it("reads scalar, string, NaN and ±Inf, and passes warnings and infos on", async () => {
    const { client } = fake(() => json({ status: "success", data: { resultType: "scalar", result: [1, "NaN"] }, warnings: ["w1"], infos: ["i1"] }));
    const answer = await client.query("0/0");
    expect(answer.warnings).toEqual(["w1"]);
    expect(answer.infos).toEqual(["i1"]);
    expect(answer.data.resultType === "scalar" && Number.isNaN(answer.data.result[1])).toBe(true);
    const inf = fake(() => json({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1, "+Inf"] }] } }));
    const v = await inf.client.query("1/0");
    expect(v.data.resultType === "vector" && v.data.result[0]!.value![1]).toBe(Infinity);
    const str = fake(() => json({ status: "success", data: { resultType: "string", result: [1, "hello"] } }));
    expect((await str.client.query('"hello"')).data).toEqual({ resultType: "string", result: [1, "hello"] });
  });

  it("reads the real reference files when they are around", async () => {
    const dir = "/work/shared/reference/apis";
    let body: string;
    try {
      body = readFileSync(path.join(dir, "prometheus-query_range.response.example.json"), "utf8");
    } catch {
      return; // a fresh clone without ../shared: the inlined copy above covers it
    }
    const { client } = fake(() => new Response(body));
    expect((await client.queryRange("up", 1, 2, 15)).data.resultType).toBe("matrix");
  });

  it.each([
    ["bad_data", 400, { status: "error", errorType: "bad_data", error: 'parse error: unexpected "}"' }, "bad_data", /rejected the query: parse error/],
    ["too many points", 400, { status: "error", errorType: "bad_data", error: "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)" }, "too_many_points", /11,000 points per series — the range\/step is too fine/],
    ["execution", 422, { status: "error", errorType: "execution", error: "many-to-many matching not allowed" }, "execution", /could not evaluate.*many-to-many/],
    ["timeout", 503, { status: "error", errorType: "timeout", error: "query timed out in expression evaluation" }, "timeout", /gave up on the query/],
    ["canceled", 503, { status: "error", errorType: "canceled", error: "context canceled" }, "unavailable", /unavailable/],
    ["internal", 500, { status: "error", errorType: "internal", error: "boom" }, "unexpected", /failed \(internal\)/],
  ])("maps %s", async (_name, status, body, kind, message) => {
    const { client } = fake(() => json(body, status));
    const error = await failure(client.query("x"));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });

  it("maps a proxy's HTML 502 to unavailable and retries once", async () => {
    const { client, calls } = fake(() => new Response("<html>bad gateway</html>", { status: 502 }));
    const error = await failure(client.query("x"));
    expect(error.kind).toBe("unavailable");
    expect(error.message).toBe("Prometheus at http://prom.test:9090 is unavailable (HTTP 502)");
    expect(calls).toHaveLength(2);
  });

  it("recovers when the retry succeeds", async () => {
    let n = 0;
    const { client } = fake(() => (n++ === 0 ? new Response("", { status: 503 }) : json(vectorExample)));
    expect((await client.query("up")).data.resultType).toBe("vector");
  });

  it("says the server is unreachable, without the token", async () => {
    const { client } = fake(() => {
      throw new TypeError("fetch failed: connect ECONNREFUSED, header Bearer s3cret-token");
    });
    const error = await failure(client.query("x"));
    expect(error.kind).toBe("unavailable");
    expect(error.message).toBe("Prometheus at http://prom.test:9090 is unreachable");
    expect(JSON.stringify(error)).not.toContain("s3cret");
  });

  it("times out, and does not retry a timeout", async () => {
    const calls: number[] = [];
    const client = createPrometheusClient({
      url: "http://prom.test",
      timeoutMs: 50,
      fetch: ((_url: string, init: RequestInit) => {
        calls.push(1);
        return new Promise((_resolve, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)));
      }) as unknown as typeof fetch,
    });
    const error = await failure(client.query("x"));
    expect(error.kind).toBe("timeout");
    expect(error.message).toMatch(/did not answer within 50 ms/);
    expect(calls).toHaveLength(1);
  });

  it("reports refused credentials and malformed success bodies as unexpected", async () => {
    expect((await failure(fake(() => new Response("no", { status: 401 })).client.query("x"))).message).toMatch(/refused the portal's credentials/);
    const bad = await failure(fake(() => json({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1, "abc"] }] } })).client.query("x"));
    expect(bad.kind).toBe("unexpected");
  });

  it("parses alerts and labels", async () => {
    const { client } = fake(({ url }) =>
      json(url.endsWith("alerts")
        ? { status: "success", data: { alerts: [{ activeAt: "2018-07-04T20:27:12.60602144+02:00", annotations: {}, labels: { alertname: "my-alert" }, state: "firing", value: "1e+00" }] } }
        : { status: "success", data: ["__name__", "job"] }),
    );
    expect((await client.alerts()).data.alerts[0]!.labels.alertname).toBe("my-alert");
    expect((await client.labels()).data).toEqual(["__name__", "job"]);
  });
});
