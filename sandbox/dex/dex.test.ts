import { createPublicKey, verify, type JsonWebKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { DEMO_USERS } from "../demo-users";
import { startSandbox, type Sandbox } from "../start";
import { followToClient, startLogin } from "../test-support/oidc-login";

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
  userinfo_endpoint: z.string(),
  end_session_endpoint: z.string(),
  scopes_supported: z.array(z.string()),
  claims_supported: z.array(z.string()),
  response_types_supported: z.array(z.string()),
  code_challenge_methods_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()),
});

const tokenResponseSchema = z.object({
  access_token: z.string(),
  id_token: z.string(),
  token_type: z.string(),
  expires_in: z.number(),
});

const idTokenClaimsSchema = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.string(),
  exp: z.number(),
  iat: z.number(),
  nonce: z.string(),
  email: z.string(),
  email_verified: z.boolean(),
  name: z.string(),
  preferred_username: z.string(),
  groups: z.array(z.string()),
});

let sandbox: Sandbox;
let issuer: string;
const [ada, alan] = DEMO_USERS;

beforeAll(async () => {
  sandbox = await startSandbox({ dexPort: 0, litellmPort: 0, vllmPort: 0, githubPort: 0, kubePort: 0, tokenDelayMs: 0 });
  issuer = sandbox.urls.dexIssuer;
});
afterAll(() => sandbox?.close());

function basicAuth(): string {
  return `Basic ${Buffer.from(`${sandbox.dex.clientId}:${sandbox.dex.clientSecret}`).toString("base64")}`;
}

/** Verifies the RS256 signature against the published JWKS and returns the claims. */
async function verifiedClaims(idToken: string): Promise<unknown> {
  const [header, payload, signature] = idToken.split(".") as [string, string, string];
  const { kid, alg } = JSON.parse(Buffer.from(header, "base64url").toString()) as { kid: string; alg: string };
  expect(alg).toBe("RS256");
  const jwks = (await (await fetch(`${issuer}/keys`)).json()) as { keys: Array<JsonWebKey & { kid: string }> };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  expect(jwk, "signing key published in JWKS").toBeDefined();
  expect(jwk).not.toHaveProperty("d"); // never the private part
  const ok = verify("sha256", Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk!, format: "jwk" }), Buffer.from(signature, "base64url"));
  expect(ok).toBe(true);
  return JSON.parse(Buffer.from(payload, "base64url").toString());
}

async function postLogin(loginUrl: string, cookie: string, login: string, password: string): Promise<Response> {
  return fetch(loginUrl, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login, password }),
  });
}

describe("Dex stand-in", () => {
  it("serves discovery under /dex with Dex-like endpoints and the groups scope", async () => {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = discoverySchema.parse(await res.json());
    expect(issuer).toMatch(/^http:\/\/localhost:\d+\/dex$/);
    expect(doc.issuer).toBe(issuer);
    expect(doc.authorization_endpoint).toBe(`${issuer}/auth`);
    expect(doc.token_endpoint).toBe(`${issuer}/token`);
    expect(doc.jwks_uri).toBe(`${issuer}/keys`);
    expect(doc.userinfo_endpoint).toBe(`${issuer}/userinfo`);
    expect(doc.end_session_endpoint.startsWith(`${issuer}/`)).toBe(true);
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "groups"]));
    expect(doc.claims_supported).toEqual(expect.arrayContaining(["email", "email_verified", "name", "preferred_username", "groups"]));
    expect(doc.response_types_supported).toEqual(["code"]);
    expect(doc.code_challenge_methods_supported).toContain("S256");
    expect(doc.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post"]));
    expect(doc.id_token_signing_alg_values_supported).toContain("RS256");
  });

  it("renders the login page with the labelled form", async () => {
    const login = await startLogin({ issuer, clientId: sandbox.dex.clientId, redirectUri: sandbox.dex.redirectUri });
    expect(new URL(login.loginUrl).pathname).toMatch(/^\/dex\/interaction\/[\w-]+$/);
    const res = await fetch(login.loginUrl, { headers: { cookie: login.jar.header() } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<title>Log in to Dex</title>");
    expect(html).toMatch(/<label for="login">Email address<\/label>/);
    expect(html).toMatch(/<input id="login" name="login" type="email"/);
    expect(html).toMatch(/<label for="password">Password<\/label>/);
    expect(html).toMatch(/<input id="password" name="password" type="password"/);
    expect(html).toMatch(/<button type="submit">Log in<\/button>/);
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/); // no external assets
  });

  it("runs the code + PKCE flow and puts email and groups into the ID token", async () => {
    const login = await startLogin({ issuer, clientId: sandbox.dex.clientId, redirectUri: sandbox.dex.redirectUri });
    const submitted = await postLogin(login.loginUrl, login.jar.header(), ada!.email, ada!.password);
    expect(submitted.status).toBe(303);
    login.jar.store(submitted);

    // No consent screen: the next stop after login is the portal's callback.
    const callback = await followToClient(submitted, login.jar, issuer);
    expect(`${callback.origin}${callback.pathname}`).toBe(sandbox.dex.redirectUri);
    expect(callback.searchParams.get("state")).toBe(login.state);
    const code = callback.searchParams.get("code");
    expect(code).toBeTruthy();

    const tokenRes = await fetch(`${issuer}/token`, {
      method: "POST",
      headers: { authorization: basicAuth(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: code!,
        redirect_uri: sandbox.dex.redirectUri,
        code_verifier: login.codeVerifier,
      }),
    });
    expect(tokenRes.status).toBe(200);
    const tokens = tokenResponseSchema.parse(await tokenRes.json());
    const claims = idTokenClaimsSchema.parse(await verifiedClaims(tokens.id_token));
    expect(claims).toMatchObject({
      iss: issuer,
      aud: sandbox.dex.clientId,
      sub: ada!.sub,
      nonce: login.nonce,
      email: ada!.email,
      email_verified: true,
      name: ada!.name,
      groups: ada!.groups,
    });

    const userinfo = await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: ada!.sub, email: ada!.email, groups: ada!.groups });
  });

  it("sets interaction and session cookies that work over plain http", async () => {
    const res = await fetch(
      `${issuer}/auth?client_id=${sandbox.dex.clientId}&redirect_uri=${encodeURIComponent(sandbox.dex.redirectUri)}&response_type=code&scope=openid`,
      { redirect: "manual" },
    );
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/httponly/i);
      expect(cookie).not.toMatch(/;\s*secure/i);
    }
  });

  it("logs out through end_session and returns to the portal", async () => {
    const login = await startLogin({ issuer, clientId: sandbox.dex.clientId, redirectUri: sandbox.dex.redirectUri });
    const submitted = await postLogin(login.loginUrl, login.jar.header(), ada!.email, ada!.password);
    login.jar.store(submitted);
    const callback = await followToClient(submitted, login.jar, issuer);
    const tokens = tokenResponseSchema.parse(
      await (
        await fetch(`${issuer}/token`, {
          method: "POST",
          headers: { authorization: basicAuth(), "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: sandbox.dex.redirectUri, code_verifier: login.codeVerifier }),
        })
      ).json(),
    );

    const endSession = new URL(`${issuer}/session/end`);
    endSession.searchParams.set("id_token_hint", tokens.id_token);
    endSession.searchParams.set("post_logout_redirect_uri", `${sandbox.urls.portal}/`);
    const confirm = await fetch(endSession, { headers: { cookie: login.jar.header() } });
    expect(confirm.status).toBe(200);
    login.jar.store(confirm);
    const page = await confirm.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
    expect(action && xsrf).toBeTruthy();

    const done = await fetch(new URL(action!, issuer), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: login.jar.header(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ xsrf: xsrf!, logout: "yes" }),
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`${sandbox.urls.portal}/`);
  });

  it("rejects a wrong code_verifier (PKCE is enforced when used)", async () => {
    const login = await startLogin({ issuer, clientId: sandbox.dex.clientId, redirectUri: sandbox.dex.redirectUri });
    const submitted = await postLogin(login.loginUrl, login.jar.header(), alan!.email, alan!.password);
    login.jar.store(submitted);
    const callback = await followToClient(submitted, login.jar, issuer);
    const tokenRes = await fetch(`${issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      // client_secret_post is accepted as well as basic.
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: callback.searchParams.get("code")!,
        redirect_uri: sandbox.dex.redirectUri,
        code_verifier: "x".repeat(43),
        client_id: sandbox.dex.clientId,
        client_secret: sandbox.dex.clientSecret,
      }),
    });
    expect(tokenRes.status).toBe(400);
    expect(await tokenRes.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("answers a wrong password with 401, an escaped error and no code", async () => {
    const login = await startLogin({ issuer, clientId: sandbox.dex.clientId, redirectUri: sandbox.dex.redirectUri });
    const res = await postLogin(login.loginUrl, login.jar.header(), `"><script>alert(1)</script>@x.example`, "wrong");
    expect(res.status).toBe(401);
    expect(res.headers.get("location")).toBeNull();
    const html = await res.text();
    expect(html).toContain("Invalid Email Address and password");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;");

    // The same interaction still accepts the right password afterwards.
    const retry = await postLogin(login.loginUrl, login.jar.header(), ada!.email, "not-the-password");
    expect(retry.status).toBe(401);
  });

  it("rejects an unregistered redirect_uri without redirecting to it", async () => {
    const res = await fetch(
      `${issuer}/auth?client_id=${sandbox.dex.clientId}&redirect_uri=${encodeURIComponent("http://evil.example/cb")}&response_type=code&scope=openid`,
      { redirect: "manual" },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });
});
