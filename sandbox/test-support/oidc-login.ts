import { createHash, randomBytes } from "node:crypto";

/** Minimal cookie jar: enough for oidc-provider's interaction and session cookies. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      // An expired/empty cookie is how the provider clears one.
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

export interface AuthRequest {
  issuer: string;
  clientId: string;
  redirectUri: string;
  scope?: string;
}

export interface StartedLogin {
  jar: CookieJar;
  loginUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Follows the authorization request to the login page (the browser's first hops). */
export async function startLogin(req: AuthRequest): Promise<StartedLogin> {
  const jar = new CookieJar();
  const state = randomBytes(8).toString("hex");
  const nonce = randomBytes(8).toString("hex");
  const codeVerifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(codeVerifier).digest("base64url");
  const auth = new URL(`${req.issuer}/auth`);
  auth.search = new URLSearchParams({
    client_id: req.clientId,
    redirect_uri: req.redirectUri,
    response_type: "code",
    scope: req.scope ?? "openid email profile groups",
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  const res = await fetch(auth, { redirect: "manual" });
  jar.store(res);
  const location = res.headers.get("location");
  if (res.status !== 303 || !location) throw new Error(`expected redirect to login, got ${res.status}`);
  return { jar, loginUrl: new URL(location, req.issuer).href, state, nonce, codeVerifier };
}

/** Follows redirects by hand (keeping cookies) until one leaves the issuer. */
export async function followToClient(start: Response, jar: CookieJar, issuer: string): Promise<URL> {
  let res = start;
  for (let hops = 0; hops < 5; hops++) {
    const location = res.headers.get("location");
    if (!location) throw new Error(`expected a redirect, got ${res.status}: ${await res.text()}`);
    const next = new URL(location, issuer);
    if (!next.href.startsWith(issuer)) return next;
    res = await fetch(next, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.store(res);
  }
  throw new Error("too many redirects");
}
