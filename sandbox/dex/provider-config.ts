import { randomBytes } from "node:crypto";
import type { Configuration, ErrorOut, Grant, KoaContextWithOIDC } from "oidc-provider";
import { findAccount } from "./accounts";
import { createMemoryAdapter } from "./memory-adapter";
import { errorPage, loggedOutPage, logoutConfirmPage } from "./pages";

export interface DexClientOptions {
  clientId: string;
  clientSecret: string;
  portalUrl: string;
  /** Path the provider is mounted under ("/dex"). */
  basePath: string;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * Consent is implied for the portal, a first-party client (Dex's
 * `skipApprovalScreen`): the grant covers whatever OIDC scopes and claims were
 * requested, so the consent prompt never fires. This is oidc-provider's
 * documented way to skip consent for first-party clients.
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const clientId = oidc.client?.clientId;
  const accountId = oidc.session.accountId;
  if (!clientId || !accountId) return undefined;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(clientId);
  const grant = (grantId ? await oidc.provider.Grant.find(grantId) : undefined) ?? new oidc.provider.Grant({ accountId, clientId });
  grant.addOIDCScope(oidc.requestParamOIDCScopes);
  if (oidc.requestParamClaims.size > 0) grant.addOIDCClaims(oidc.requestParamClaims);
  await grant.save();
  return grant;
}

function html(ctx: KoaContextWithOIDC, body: string): void {
  ctx.type = "html";
  ctx.body = body;
}

export function dexProviderConfig(options: DexClientOptions, signingJwk: Record<string, unknown>): Configuration {
  const portal = options.portalUrl.replace(/\/$/, "");
  return {
    adapter: createMemoryAdapter(),
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        client_name: "Inference Portal",
        redirect_uris: [`${portal}/api/auth/callback/dex`],
        post_logout_redirect_uris: [`${portal}/`, portal],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        // oidc-provider v9 accepts client_secret_post too for a client registered with basic.
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    responseTypes: ["code"],
    scopes: ["openid", "offline_access", "email", "profile", "groups"],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "preferred_username"],
      groups: ["groups"],
    },
    // Dex puts email, name and groups in the ID token, and next-auth reads the ID token.
    conformIdTokenClaims: false,
    // PKCE (S256) is accepted when sent but not required, as with Dex.
    pkce: { required: () => false },
    cookies: {
      keys: [randomBytes(32).toString("base64url")],
      // Plain http on localhost: cookies must not be `secure` or browsers drop them.
      long: { httpOnly: true, sameSite: "lax", secure: false },
      short: { httpOnly: true, sameSite: "lax", secure: false },
    },
    features: {
      devInteractions: { enabled: false },
      // Dex offers neither; keeping discovery Dex-shaped stops the portal from depending on them.
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => html(ctx, logoutConfirmPage(form)),
        postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => html(ctx, loggedOutPage()),
      },
    },
    findAccount,
    loadExistingGrant,
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `${options.basePath}/interaction/${interaction.uid}`,
    },
    jwks: { keys: [signingJwk] },
    // Dex's endpoint paths, so URLs look the same as against a real Dex.
    routes: { authorization: "/auth", token: "/token", jwks: "/keys", userinfo: "/userinfo", end_session: "/session/end" },
    renderError: (ctx: KoaContextWithOIDC, out: ErrorOut) => html(ctx, errorPage(out)),
    clientBasedCORS: () => false,
    // Dex defaults: 24h tokens; short-lived codes and login interactions.
    ttl: {
      AccessToken: DAY,
      AuthorizationCode: 5 * 60,
      ClientCredentials: HOUR,
      DeviceCode: 10 * 60,
      BackchannelAuthenticationRequest: 10 * 60,
      PreAuthorizedCode: 10 * 60,
      IdToken: DAY,
      RefreshToken: 30 * DAY,
      Interaction: HOUR,
      Session: DAY,
      Grant: 30 * DAY,
    },
  };
}
