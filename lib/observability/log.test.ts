import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { log, logger } from "./log";

const SK = "sk-liveSecretValue1234567890";

let out: string[];
let err: string[];

beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (err.push(String(chunk)), true));
  vi.stubEnv("LOG_LEVEL", "");
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("log", () => {
  it("writes one JSON object per line with time, level, message and fields", () => {
    logger.info("key created", { tenantId: "team-a", keyId: "k-1" });
    expect(out).toHaveLength(1);
    const [written = ""] = out;
    expect(written.endsWith("\n")).toBe(true);
    const line = JSON.parse(written);
    expect(line).toMatchObject({ level: "info", msg: "key created", tenantId: "team-a", keyId: "k-1" });
    expect(Number.isNaN(Date.parse(line.time))).toBe(false);
  });

  it("never writes a secret hidden in a nested field", () => {
    logger.warn("litellm call failed", {
      request: { headers: { authorization: `Bearer ${SK}` }, body: { key: SK, note: `retry with ${SK}` } },
      attempts: [{ error: new Error(`invalid api key ${SK}`) }],
      user: { password: "hunter2", email: "dev@example.test" },
    });
    const text = out.join("");
    expect(text).not.toContain(SK);
    expect(text).not.toContain("hunter2");
    expect(text).toContain("dev@example.test");
    expect(JSON.parse(text).attempts[0].error.message).toBe("invalid api key [REDACTED]");
  });

  it("sends errors to stderr, the rest to stdout", () => {
    logger.error("boom", { token: SK });
    expect(out).toHaveLength(0);
    expect(err).toHaveLength(1);
    expect(err.join("")).toContain("boom");
    expect(err.join("")).not.toContain(SK);
  });

  it.each([
    { level: "debug", written: ["debug", "info", "warn", "error"] },
    { level: "info", written: ["info", "warn", "error"] },
    { level: "warn", written: ["warn", "error"] },
    { level: "error", written: ["error"] },
    { level: "", written: ["info", "warn", "error"] },
    { level: "bogus", written: ["info", "warn", "error"] },
  ])("LOG_LEVEL=$level writes $written", ({ level, written }) => {
    vi.stubEnv("LOG_LEVEL", level);
    for (const l of ["debug", "info", "warn", "error"] as const) log(l, `at ${l}`);
    const levels = [...out, ...err].map((line) => JSON.parse(line).level);
    expect(levels.sort()).toEqual([...written].sort());
  });

  it("a field cannot overwrite the message with a secret", () => {
    logger.info("safe message", { msg: `override ${SK}` });
    expect(out.join("")).not.toContain(SK);
  });
});
