import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
}

describe("parseEnv defaults", () => {
  it("an empty environment is the embedded sandbox setup", () => {
    expect(parseEnv({})).toEqual({
      PORTAL_URL: "http://localhost:3000",
      DATA_DIR: ".data",
      DEX_ISSUER: "http://localhost:5556/dex",
      DEX_CLIENT_ID: "inference-portal",
      DEX_CLIENT_SECRET: "sandbox-portal-secret",
      PLATFORM_ADMIN_GROUPS: ["platform-admins"],
      FINANCE_GROUPS: ["finance"],
      LITELLM_URL: "http://localhost:4000",
      LITELLM_PUBLIC_URL: "http://localhost:4000",
      LITELLM_MASTER_KEY: "sk-sandbox-master",
      LITELLM_TIMEOUT_MS: 5000,
      GITHUB_API_URL: "http://localhost:3900",
      GITHUB_OWNER: "platform",
      GITHUB_REPO: "platform-gitops",
      GITHUB_BASE_BRANCH: "main",
      GITHUB_WEBHOOK_SECRET: "sandbox-webhook-secret",
      GITHUB_TIMEOUT_MS: 10000,
      ARGOCD_NAMESPACE: "argocd",
      KUBE_TIMEOUT_MS: 5000,
      RECONCILE_INTERVAL_MS: 3000,
      WORKER_MODE: "embedded",
      WORKER_POLL_MS: 1000,
      PROMETHEUS_URL: "http://localhost:9090",
      PROMETHEUS_TIMEOUT_MS: 10000,
      PROMETHEUS_SCRAPE_INTERVAL_SECONDS: 15,
      OPENCOST_TIMEOUT_MS: 30000,
      COST_CURRENCY: "USD",
      COST_IDLE_SHARING: "none",
      BENCHMARK_WORKER: true,
      LOG_LEVEL: "info",
    });
  });

  it("GitHub App settings go together", () => {
    expect(() => parseEnv({ GITHUB_APP_ID: "123" })).toThrow(/GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID go together/);
    expect(() => parseEnv({ GITHUB_APP_ID: "abc" })).toThrow(/GITHUB_APP_ID: must be the numeric App id/);
  });

  it("no secret or database is invented when unset", () => {
    const config = parseEnv({});
    expect(config.AUTH_SECRET).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.METRICS_BEARER_TOKEN).toBeUndefined();
    expect(config.PROMETHEUS_BEARER_TOKEN).toBeUndefined();
  });

  it("Prometheus settings override the sandbox defaults", () => {
    const config = parseEnv({ PROMETHEUS_URL: "https://prom.example.com/", PROMETHEUS_BEARER_TOKEN: "t0ken", PROMETHEUS_TIMEOUT_MS: "119000" });
    expect([config.PROMETHEUS_URL, config.PROMETHEUS_BEARER_TOKEN, config.PROMETHEUS_TIMEOUT_MS]).toEqual(["https://prom.example.com", "t0ken", 119_000]);
  });

  it("treats empty strings as unset rather than invalid", () => {
    const blank = {
      PORTAL_URL: "",
      AUTH_SECRET: "",
      DATABASE_URL: "",
      LITELLM_URL: "",
      LITELLM_PUBLIC_URL: "",
      LITELLM_TIMEOUT_MS: "",
      WORKER_MODE: "",
      PLATFORM_ADMIN_GROUPS: "",
      METRICS_BEARER_TOKEN: "",
    };
    expect(parseEnv(blank)).toEqual(parseEnv({}));
  });

  it("ignores variables it does not know", () => {
    expect(parseEnv({ PATH: "/usr/bin", HOME: "/root" })).toEqual(parseEnv({}));
  });
});

describe("parseEnv rejects bad values, naming each variable", () => {
  it.each<{ name: string; source: Record<string, string>; variable: string }>([
    { name: "URL that is not a URL", source: { PORTAL_URL: "not a url" }, variable: "PORTAL_URL" },
    { name: "URL with a non-http scheme", source: { LITELLM_URL: "ftp://litellm:4000" }, variable: "LITELLM_URL" },
    { name: "bad public URL", source: { LITELLM_PUBLIC_URL: "javascript:alert(1)" }, variable: "LITELLM_PUBLIC_URL" },
    { name: "bad issuer", source: { DEX_ISSUER: "dex" }, variable: "DEX_ISSUER" },
    { name: "DATABASE_URL for another engine", source: { DATABASE_URL: "mysql://root@db/portal" }, variable: "DATABASE_URL" },
    { name: "DATABASE_URL that is a path", source: { DATABASE_URL: "/var/lib/pg" }, variable: "DATABASE_URL" },
    { name: "AUTH_SECRET of 31 characters", source: { AUTH_SECRET: "x".repeat(31) }, variable: "AUTH_SECRET" },
    { name: "unknown WORKER_MODE", source: { WORKER_MODE: "external" }, variable: "WORKER_MODE" },
    { name: "WORKER_MODE in the wrong case", source: { WORKER_MODE: "OFF" }, variable: "WORKER_MODE" },
    { name: "LITELLM_TIMEOUT_MS of 0", source: { LITELLM_TIMEOUT_MS: "0" }, variable: "LITELLM_TIMEOUT_MS" },
    { name: "LITELLM_TIMEOUT_MS negative", source: { LITELLM_TIMEOUT_MS: "-5" }, variable: "LITELLM_TIMEOUT_MS" },
    { name: "LITELLM_TIMEOUT_MS not a number", source: { LITELLM_TIMEOUT_MS: "5s" }, variable: "LITELLM_TIMEOUT_MS" },
    { name: "LITELLM_TIMEOUT_MS fractional", source: { LITELLM_TIMEOUT_MS: "1.5" }, variable: "LITELLM_TIMEOUT_MS" },
    { name: "LITELLM_TIMEOUT_MS above a minute", source: { LITELLM_TIMEOUT_MS: "60001" }, variable: "LITELLM_TIMEOUT_MS" },
    { name: "WORKER_POLL_MS not a number", source: { WORKER_POLL_MS: "soon" }, variable: "WORKER_POLL_MS" },
    { name: "unknown LOG_LEVEL", source: { LOG_LEVEL: "trace" }, variable: "LOG_LEVEL" },
    { name: "PROMETHEUS_URL that is not http", source: { PROMETHEUS_URL: "file:///etc/passwd" }, variable: "PROMETHEUS_URL" },
    { name: "PROMETHEUS_TIMEOUT_MS at Prometheus's own 2 minutes", source: { PROMETHEUS_TIMEOUT_MS: "120000" }, variable: "PROMETHEUS_TIMEOUT_MS" },
    { name: "PROMETHEUS_TIMEOUT_MS of 0", source: { PROMETHEUS_TIMEOUT_MS: "0" }, variable: "PROMETHEUS_TIMEOUT_MS" },
    { name: "short METRICS_BEARER_TOKEN", source: { METRICS_BEARER_TOKEN: "short" }, variable: "METRICS_BEARER_TOKEN" },
  ])("$name", ({ source, variable }) => {
    const problems = problemsOf(source);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${variable}: `));
    expect(() => parseEnv(source)).toThrow(new RegExp(`- ${variable}: `));
  });

  it("explains the AUTH_SECRET and DATABASE_URL rules in words", () => {
    expect(problemsOf({ AUTH_SECRET: "short" })).toEqual(["AUTH_SECRET: must be at least 32 characters"]);
    expect(problemsOf({ DATABASE_URL: "mysql://x" })).toEqual(["DATABASE_URL: must be a postgres:// or postgresql:// URL"]);
  });

  it("reports several problems at once", () => {
    const problems = problemsOf({
      PORTAL_URL: "nope",
      DATABASE_URL: "sqlite:///tmp/db",
      AUTH_SECRET: "too-short",
      WORKER_MODE: "sometimes",
      LITELLM_TIMEOUT_MS: "0",
    });
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(
      ["AUTH_SECRET", "DATABASE_URL", "LITELLM_TIMEOUT_MS", "PORTAL_URL", "WORKER_MODE"],
    );
  });

  it("accepts the boundary values", () => {
    const config = parseEnv({ AUTH_SECRET: "x".repeat(32), LITELLM_TIMEOUT_MS: "60000", DATABASE_URL: "postgres://u@h/db" });
    expect(config.AUTH_SECRET).toHaveLength(32);
    expect(config.LITELLM_TIMEOUT_MS).toBe(60_000);
    expect(parseEnv({ DATABASE_URL: "postgresql://u@h:5432/db" }).DATABASE_URL).toBe("postgresql://u@h:5432/db");
  });
});

describe("parseEnv normalizes", () => {
  it.each([
    { input: "https://portal.example.com/", expected: "https://portal.example.com" },
    { input: "https://portal.example.com///", expected: "https://portal.example.com" },
    { input: "https://example.com/portal/", expected: "https://example.com/portal" },
    { input: "http://localhost:3000", expected: "http://localhost:3000" },
  ])("strips trailing slashes: $input", ({ input, expected }) => {
    const config = parseEnv({ PORTAL_URL: input, LITELLM_URL: input, DEX_ISSUER: input, LITELLM_PUBLIC_URL: input });
    expect([config.PORTAL_URL, config.LITELLM_URL, config.DEX_ISSUER, config.LITELLM_PUBLIC_URL]).toEqual([expected, expected, expected, expected]);
  });

  it.each([
    { input: "admins", expected: ["admins"] },
    { input: "a,b", expected: ["a", "b"] },
    { input: " a , b ,c ", expected: ["a", "b", "c"] },
    { input: "a,,b,", expected: ["a", "b"] },
    { input: ",", expected: [] },
    { input: "cn=ops,ou=groups", expected: ["cn=ops", "ou=groups"] },
  ])("parses group CSV $input", ({ input, expected }) => {
    const config = parseEnv({ PLATFORM_ADMIN_GROUPS: input, FINANCE_GROUPS: input });
    expect(config.PLATFORM_ADMIN_GROUPS).toEqual(expected);
    expect(config.FINANCE_GROUPS).toEqual(expected);
  });

  it("LITELLM_PUBLIC_URL defaults to LITELLM_URL, and wins when set", () => {
    expect(parseEnv({ LITELLM_URL: "http://litellm.internal:4000/" }).LITELLM_PUBLIC_URL).toBe("http://litellm.internal:4000");
    const both = parseEnv({ LITELLM_URL: "http://litellm.internal:4000", LITELLM_PUBLIC_URL: "https://llm.example.com/" });
    expect(both.LITELLM_URL).toBe("http://litellm.internal:4000");
    expect(both.LITELLM_PUBLIC_URL).toBe("https://llm.example.com");
  });

  it("coerces numeric settings", () => {
    const config = parseEnv({ LITELLM_TIMEOUT_MS: "250", WORKER_POLL_MS: "2000" });
    expect(config.LITELLM_TIMEOUT_MS).toBe(250);
    expect(config.WORKER_POLL_MS).toBe(2000);
  });
});
