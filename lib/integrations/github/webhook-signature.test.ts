import * as crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { signWebhookBody, verifyWebhookSignature } from "./webhook-signature";

// Spy on the constant-time comparison without changing what it does.
vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:crypto")>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

// The test vector from GitHub's "Validating webhook deliveries" documentation.
const GITHUB_SECRET = "It's a Secret to Everybody";
const GITHUB_BODY = "Hello, World!";
const GITHUB_HEX = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
const GITHUB_HEADER = `sha256=${GITHUB_HEX}`;

const SECRET = "sandbox-webhook-secret";
const BODY = JSON.stringify({ action: "closed", pull_request: { number: 7, merged: true } });

afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

describe("verifyWebhookSignature", () => {
  it("accepts GitHub's documented example, as a string and as bytes", () => {
    expect(verifyWebhookSignature(GITHUB_SECRET, GITHUB_BODY, GITHUB_HEADER)).toBe(true);
    expect(verifyWebhookSignature(GITHUB_SECRET, Buffer.from(GITHUB_BODY, "utf8"), GITHUB_HEADER)).toBe(true);
  });

  it("signWebhookBody produces GitHub's header format", () => {
    expect(signWebhookBody(GITHUB_SECRET, GITHUB_BODY)).toBe(GITHUB_HEADER);
    expect(verifyWebhookSignature(SECRET, BODY, signWebhookBody(SECRET, BODY))).toBe(true);
  });

  it("accepts the same digest written in upper-case hex", () => {
    expect(verifyWebhookSignature(GITHUB_SECRET, GITHUB_BODY, `sha256=${GITHUB_HEX.toUpperCase()}`)).toBe(true);
  });

  it("rejects a signature made with another secret", () => {
    expect(verifyWebhookSignature(SECRET, BODY, signWebhookBody("another-secret-of-16+", BODY))).toBe(false);
    expect(verifyWebhookSignature(`${GITHUB_SECRET} `, GITHUB_BODY, GITHUB_HEADER)).toBe(false);
  });

  it("rejects a body with one byte changed", () => {
    const header = signWebhookBody(SECRET, BODY);
    const tampered = BODY.replace('"number":7', '"number":8');
    expect(tampered).toHaveLength(BODY.length);
    expect(verifyWebhookSignature(SECRET, tampered, header)).toBe(false);

    const bytes = Buffer.from(BODY, "utf8");
    const last = bytes.length - 1;
    bytes.writeUInt8(bytes.readUInt8(last) ^ 0x01, last);
    expect(verifyWebhookSignature(SECRET, bytes, header)).toBe(false);
  });

  it("rejects a body with a byte appended or removed", () => {
    const header = signWebhookBody(SECRET, BODY);
    expect(verifyWebhookSignature(SECRET, `${BODY} `, header)).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY.slice(0, -1), header)).toBe(false);
  });

  const sha1 = `sha1=${crypto.createHmac("sha1", GITHUB_SECRET).update(GITHUB_BODY).digest("hex")}`;
  it.each([
    ["no header", null],
    ["an empty header", ""],
    ["only the prefix", "sha256="],
    ["the legacy sha1 signature", sha1],
    ["the digest without prefix", GITHUB_HEX],
    ["another algorithm's prefix", `sha512=${GITHUB_HEX}`],
    ["a space after the prefix", `sha256= ${GITHUB_HEX}`],
    ["non-hex characters of the right length", `sha256=${"z".repeat(64)}`],
    ["one character not hex", `sha256=${GITHUB_HEX.slice(0, 63)}g`],
    ["a truncated digest (31 bytes)", `sha256=${GITHUB_HEX.slice(0, 62)}`],
    ["an odd number of hex digits (63)", `sha256=${GITHUB_HEX.slice(0, 63)}`],
    ["an extra byte (33 bytes)", `sha256=${GITHUB_HEX}00`],
    ["an extra hex digit (65)", `sha256=${GITHUB_HEX}0`],
    ["trailing non-hex characters", `sha256=${GITHUB_HEX}zz`],
    ["trailing garbage after a space", `sha256=${GITHUB_HEX} extra`],
    ["two signatures joined", `sha256=${GITHUB_HEX},sha256=${GITHUB_HEX}`],
    ["a trailing newline", `sha256=${GITHUB_HEX}\n`],
  ])("rejects %s without throwing", (_name, header) => {
    expect(() => verifyWebhookSignature(GITHUB_SECRET, GITHUB_BODY, header)).not.toThrow();
    expect(verifyWebhookSignature(GITHUB_SECRET, GITHUB_BODY, header)).toBe(false);
  });

  it("compares digests of equal length in constant time, and never calls timingSafeEqual with unequal lengths", () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    const wrong = `sha256=${"0".repeat(64)}`;
    expect(verifyWebhookSignature(GITHUB_SECRET, GITHUB_BODY, wrong)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0]! as [Buffer, Buffer];
    expect(a.length).toBe(32);
    expect(b.length).toBe(32);

    spy.mockClear();
    // timingSafeEqual throws RangeError on unequal lengths; a short digest must be refused first.
    expect(verifyWebhookSignature(GITHUB_SECRET, GITHUB_BODY, `sha256=${GITHUB_HEX.slice(0, 32)}`)).toBe(false);
    expect(spy.mock.calls.every(([x, y]) => (x as Buffer).length === (y as Buffer).length)).toBe(true);
  });
});
