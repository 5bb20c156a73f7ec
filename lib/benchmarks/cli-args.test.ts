import { describe, expect, it } from "vitest";
import { parseBenchServeArgs, parseDuration, UsageError } from "./cli-args";

const base = ["--url", "http://localhost:4000", "--model", "qwen2.5-0.5b-instruct"];

describe("parseBenchServeArgs", () => {
  it("maps the documented example to the runner's configuration", () => {
    const args = parseBenchServeArgs([...base, "--api-key", "sk-x", "--concurrency", "1,2,4,8,16,32", "--duration", "20s", "--warmup", "5s", "--prompt-tokens", "50", "--output-tokens", "128", "--slo-ttft-ms", "200", "--slo-itl-ms", "50", "--save", "r.json"]);
    expect(args.config).toMatchObject({
      baseUrl: "http://localhost:4000", model: "qwen2.5-0.5b-instruct", api: "chat",
      sweep: { kind: "concurrency", levels: [1, 2, 4, 8, 16, 32] }, step: { durationMs: 20_000 }, warmup: { durationMs: 5000 },
      lengths: { kind: "fixed", promptTokens: 50, outputTokens: 128 }, slo: { ttftMs: 200, itlMs: 50 },
    });
    expect(args.apiKey).toBe("sk-x");
    expect(args.save).toBe("r.json");
    expect(args.store).toBeNull();
  });

  it("rate sweeps, request counts, warm-up counts, completions, dataset, store and the key from the environment", () => {
    const args = parseBenchServeArgs([...base, "--rate", "0.5,2", "--requests", "200", "--warmup", "10", "--endpoint", "completions", "--dataset", "synthetic-chat", "--store", "--tenant", "team-a"], "sk-env");
    expect(args.config.sweep).toEqual({ kind: "rate", levels: [0.5, 2] });
    expect(args.config.step).toEqual({ requests: 200 });
    expect(args.config.warmup).toEqual({ requests: 10 });
    expect(args.config.api).toBe("completions");
    expect(args.config.lengths).toEqual({ kind: "dataset", name: "synthetic-chat" });
    expect(args.config.slo).toBeUndefined();
    expect(args.apiKey).toBe("sk-env");
    expect(args.store).toEqual({ name: "bench:serve qwen2.5-0.5b-instruct", tenantId: "team-a" });
  });

  it.each([
    { name: "no url", argv: ["--model", "m", "--concurrency", "1", "--requests", "1"], message: /--url is required/ },
    { name: "both sweeps", argv: [...base, "--concurrency", "1", "--rate", "1", "--requests", "1"], message: /exactly one of --concurrency and --rate/ },
    { name: "no step size", argv: [...base, "--concurrency", "1"], message: /exactly one of --duration and --requests/ },
    { name: "fractional concurrency", argv: [...base, "--concurrency", "1,2.5", "--requests", "1"], message: /"2.5" is not a positive integer/ },
    { name: "empty list item", argv: [...base, "--concurrency", "1,,4", "--requests", "1"], message: /"" is not a positive integer/ },
    { name: "negative rate", argv: [...base, "--rate=-1", "--requests", "1"], message: /not a positive number/ },
    { name: "unitless duration", argv: [...base, "--concurrency", "1", "--duration", "20"], message: /not a duration/ },
    { name: "zero requests", argv: [...base, "--concurrency", "1", "--requests", "0"], message: /not a positive integer/ },
    { name: "unknown flag", argv: [...base, "--concurrency", "1", "--requests", "1", "--bogus"], message: /Unknown option '--bogus'/ },
    { name: "positional", argv: [...base, "--concurrency", "1", "--requests", "1", "extra"], message: /positional/i },
    { name: "file URL", argv: ["--url", "file:///etc/passwd", "--model", "m", "--concurrency", "1", "--requests", "1"], message: /^--url:/ },
    { name: "javascript URL", argv: ["--url", "javascript:alert(1)", "--model", "m", "--concurrency", "1", "--requests", "1"], message: /^--url:/ },
    { name: "dataset and fixed lengths", argv: [...base, "--concurrency", "1", "--requests", "1", "--dataset", "synthetic-chat", "--output-tokens", "5"], message: /exclude each other/ },
    { name: "unknown dataset", argv: [...base, "--concurrency", "1", "--requests", "1", "--dataset", "../../etc/passwd"], message: /--dataset must be one of/ },
    { name: "bad endpoint", argv: [...base, "--concurrency", "1", "--requests", "1", "--endpoint", "embeddings"], message: /chat or completions/ },
    { name: "too many levels", argv: [...base, "--concurrency", Array.from({ length: 33 }, (_, i) => i + 1).join(","), "--requests", "1"], message: /^--concurrency:/ },
    { name: "name without store", argv: [...base, "--concurrency", "1", "--requests", "1", "--name", "x"], message: /only apply with --store/ },
    { name: "over-long name", argv: [...base, "--concurrency", "1", "--requests", "1", "--store", "--name", "x".repeat(201)], message: /--name must be/ },
    { name: "NaN SLO", argv: [...base, "--concurrency", "1", "--requests", "1", "--slo-ttft-ms", "NaN"], message: /--slo-ttft-ms/ },
  ])("refuses $name with a clear message", ({ argv, message }) => {
    let error: unknown;
    try {
      parseBenchServeArgs(argv);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });
});

describe("parseDuration", () => {
  it.each([["20s", 20_000], ["500ms", 500], ["1.5m", 90_000], ["1h", 3_600_000]])("%s = %i ms", (text, ms) => expect(parseDuration("d", text)).toBe(ms));
  it.each(["", "s", "20", "-1s", "0s", "1d", "1e3s"])("refuses %j", (text) => expect(() => parseDuration("d", text)).toThrow(UsageError));
});
