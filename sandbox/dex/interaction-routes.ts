import type { IncomingMessage, ServerResponse } from "node:http";
import type { Interaction, Provider } from "oidc-provider";
import { findDemoUserByEmail } from "../demo-users";
import { readForm } from "../http/body";
import { sendHtml } from "../http/respond";
import { errorPage, loginPage } from "./pages";

const INVALID_CREDENTIALS = "Invalid Email Address and password";

/**
 * Fallback for an explicit `prompt=consent`: grant what is missing and continue,
 * as oidc-provider documents for first-party clients. Normally
 * loadExistingGrant already covers everything and this prompt never shows.
 */
async function autoConsent(provider: Provider, req: IncomingMessage, res: ServerResponse, details: Interaction) {
  const accountId = details.session?.accountId;
  const clientId = details.params.client_id;
  if (!accountId || !clientId) throw new Error("consent prompt without session or client");
  const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
  const { missingOIDCScope, missingOIDCClaims } = details.prompt.details;
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(" "));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function handle(provider: Provider, basePath: string, uid: string, req: IncomingMessage, res: ServerResponse) {
  const details = await provider.interactionDetails(req, res);
  const action = `${basePath}/interaction/${encodeURIComponent(details.uid)}`;
  if (details.uid !== uid) {
    sendHtml(res, 400, errorPage({ error: "invalid_request", error_description: "interaction mismatch; start the login again" }));
    return;
  }

  if (details.prompt.name === "consent") {
    await autoConsent(provider, req, res, details);
    return;
  }

  if (req.method === "GET") {
    const hint = typeof details.params.login_hint === "string" ? details.params.login_hint : "";
    sendHtml(res, 200, loginPage({ action, login: hint }));
    return;
  }

  const form = await readForm(req);
  const login = form.get("login") ?? "";
  const password = form.get("password") ?? "";
  const user = findDemoUserByEmail(login);
  if (!user || user.password !== password) {
    sendHtml(res, 401, loginPage({ action, login, error: INVALID_CREDENTIALS }));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
}

/** Serves the login page at `${basePath}/interaction/:uid` (GET shows it, POST submits). */
export function createInteractionHandler(provider: Provider, basePath: string, SessionNotFound: new (...args: never[]) => Error) {
  const prefix = `${basePath}/interaction/`;
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    const uid = decodeURIComponent(pathname.slice(prefix.length));
    if (!uid || uid.includes("/") || (req.method !== "GET" && req.method !== "POST")) {
      sendHtml(res, 404, errorPage({ error: "not_found" }));
      return;
    }
    try {
      await handle(provider, basePath, uid, req, res);
    } catch (err) {
      if (err instanceof SessionNotFound) {
        sendHtml(res, 400, errorPage({ error: "invalid_request", error_description: "login session expired or not found; start the login again from the portal" }));
        return;
      }
      throw err;
    }
  };
}
