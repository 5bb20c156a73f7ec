import { describe, expect, it } from "vitest";
import { scrub, scrubString } from "./scrub";

const SK = "sk-Ab3_dE-fGhIjKlMnOpQrStUvWx";
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMiLCJleHAiOjE3MDB9.c2lnbmF0dXJlLWJ5dGVz";

describe("scrubString", () => {
  it.each([
    { name: "a LiteLLM key", text: `key ${SK} was rejected`, secret: SK },
    { name: "a key inside JSON", text: `{"api_key":"${SK}"}`, secret: SK },
    { name: "a key in a URL", text: `GET /key/info?key=${SK}&x=1`, secret: SK },
    { name: "a bearer token", text: "Authorization: Bearer abc.DEF-123_~+/=", secret: "abc.DEF-123_~+/=" },
    { name: "a lowercase bearer", text: "authorization: bearer opaque-token-value", secret: "opaque-token-value" },
    { name: "a JWT", text: `id_token=${JWT}`, secret: JWT },
    { name: "a JWT's signature", text: `id_token=${JWT}`, secret: "c2lnbmF0dXJlLWJ5dGVz" },
    { name: "two keys in one line", text: `${SK} and ${SK.replace("Ab3", "Zz9")}`, secret: "Zz9" },
  ])("removes $name", ({ text, secret }) => {
    const scrubbed = scrubString(text);
    expect(scrubbed).not.toContain(secret);
    expect(scrubbed).toContain("[REDACTED]");
  });

  it.each(["LiteLLM answered 400", "model llama-3.1-8b-instruct not allowed", "user dev@example.com", "sk-abc"])(
    "leaves ordinary text alone: %s",
    (text) => {
      expect(scrubString(text)).toBe(text);
    },
  );

  it("keeps the surrounding text readable", () => {
    expect(scrubString(`LiteLLM refused ${SK}: budget exceeded`)).toBe("LiteLLM refused [REDACTED]: budget exceeded");
  });
});

describe("scrub", () => {
  it.each(["password", "passwd", "secret", "clientSecret", "token", "accessToken", "tokenHash", "authorization", "Authorization", "apiKey", "api_key", "api-key", "key", "cookie", "masterKey"])(
    "redacts the value of a field named %s, whatever it looks like",
    (field) => {
      const scrubbed = scrub({ outer: { [field]: "plain-looking-value", keep: "visible" } }) as { outer: Record<string, unknown> };
      expect(scrubbed.outer[field]).toBe("[REDACTED]");
      expect(scrubbed.outer.keep).toBe("visible");
    },
  );

  it("redacts non-string values of secret fields too", () => {
    const scrubbed = scrub({ token: { value: "x" }, secret: 12345, password: ["a", "b"] });
    expect(scrubbed).toEqual({ token: "[REDACTED]", secret: "[REDACTED]", password: "[REDACTED]" });
  });

  it("does not treat words that merely contain 'key' as secret names", () => {
    expect(scrub({ keyId: "k-1", monkey: "m" })).toEqual({ keyId: "k-1", monkey: "m" });
  });

  it("walks arrays and nested objects", () => {
    const input = { a: [{ b: { note: `leaked ${SK}` } }, `Bearer ${JWT}`], n: 5, ok: true, nothing: null };
    const output = JSON.stringify(scrub(input));
    expect(output).not.toContain(SK);
    expect(output).not.toContain(JWT);
    expect(output).toContain('"n":5');
    expect(output).toContain('"ok":true');
    expect(output).toContain('"nothing":null');
  });

  it("turns an Error into its name and scrubbed message, without the stack", () => {
    const error = new TypeError(`upstream said: invalid key ${SK}`);
    expect(scrub(error)).toEqual({ name: "TypeError", message: "upstream said: invalid key [REDACTED]" });
    expect(JSON.stringify(scrub({ error }))).not.toContain(SK);
  });

  it("stops at a depth limit instead of recursing forever", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    expect(() => JSON.stringify(scrub(cyclic))).not.toThrow();
  });

  it("does not modify its input", () => {
    const input = { password: "hunter2", nested: { text: SK } };
    scrub(input);
    expect(input).toEqual({ password: "hunter2", nested: { text: SK } });
  });
});
