import { createPublicKey, generateKeyPairSync, randomBytes, timingSafeEqual, verify, type KeyObject } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { GitHubError, badCredentials } from "./errors";

const INSTALLATION_TOKEN_TTL_MS = 60 * 60 * 1000;
// GitHub refuses app JWTs that live longer than 10 minutes; allow a minute of clock skew.
const MAX_JWT_LIFETIME_S = 10 * 60;
const CLOCK_SKEW_S = 60;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `ghs_` + 36 base62 characters, the format of GitHub installation tokens. */
function newInstallationToken(): string {
  const bytes = randomBytes(36);
  return `ghs_${Array.from(bytes, (b) => BASE62[b % 62]).join("")}`;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `Authorization: token X` or `Bearer X` (GitHub accepts both schemes for tokens). */
export function presentedCredential(req: IncomingMessage): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return match?.[1];
}

function decodeSegment(segment: string | undefined): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(segment ?? "", "base64url").toString("utf8"));
  if (typeof value !== "object" || value === null) throw new Error("not an object");
  return value as Record<string, unknown>;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/**
 * Who may call the API: the static token and installation tokens (both act
 * as the bot user), and app JWTs, which only exchange for installation tokens.
 */
export class Credentials {
  readonly appPrivateKeyPem: string;
  private readonly appPublicKey: KeyObject;
  private readonly installationTokens = new Map<string, Date>();

  constructor(
    private readonly staticToken: string,
    readonly appId: number,
    privateKeyPem?: string,
    private readonly now: () => number = Date.now,
  ) {
    // PKCS#1 PEM, the format GitHub hands out for app private keys.
    this.appPrivateKeyPem =
      privateKeyPem ??
      generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      }).privateKey;
    this.appPublicKey = createPublicKey(this.appPrivateKeyPem);
  }

  /** Throws 401 unless the request carries the static token or a live installation token. */
  requireToken(req: IncomingMessage): void {
    const presented = presentedCredential(req);
    if (!presented) throw new GitHubError(401, "Requires authentication");
    if (sameSecret(presented, this.staticToken)) return;
    const expiresAt = this.installationTokens.get(presented);
    if (expiresAt && expiresAt.getTime() > this.now()) return;
    throw badCredentials();
  }

  /** Verifies an app JWT (RS256, signed with the app key, `iss` = app id, short-lived). */
  requireAppJwt(req: IncomingMessage): void {
    const jwt = presentedCredential(req);
    if (!jwt) throw new GitHubError(401, "Requires authentication");
    const [h, p, s] = jwt.split(".");
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = decodeSegment(h);
      claims = decodeSegment(p);
    } catch {
      throw new GitHubError(401, "A JSON web token could not be decoded");
    }
    const signatureOk =
      header.alg === "RS256" && s !== undefined && verify("RSA-SHA256", Buffer.from(`${h}.${p}`), this.appPublicKey, Buffer.from(s, "base64url"));
    if (!signatureOk) throw new GitHubError(401, "A JSON web token could not be decoded");
    const nowS = Math.floor(this.now() / 1000);
    const { iat, exp, iss } = claims;
    if (typeof iat !== "number" || iat > nowS + CLOCK_SKEW_S) {
      throw new GitHubError(401, "'Issued at' claim ('iat') must be an Integer representing a time in the past.");
    }
    if (typeof exp !== "number" || exp <= nowS || exp > nowS + MAX_JWT_LIFETIME_S + CLOCK_SKEW_S) {
      throw new GitHubError(
        401,
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
      );
    }
    if (String(iss) !== String(this.appId)) throw new GitHubError(401, "'Issuer' claim ('iss') must be the app's id.");
  }

  issueInstallationToken(): IssuedToken {
    const token = newInstallationToken();
    const expiresAt = new Date(this.now() + INSTALLATION_TOKEN_TTL_MS);
    this.installationTokens.set(token, expiresAt);
    return { token, expiresAt };
  }
}
