import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { sendJson, sendText } from "../http/respond";
import { createInteractionHandler } from "./interaction-routes";
import { loadOidcProvider } from "./load-provider";
import { dexProviderConfig, type DexClientOptions } from "./provider-config";
import { generateSigningJwk } from "./signing-key";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Mounts the OIDC provider and its login pages on an already listening server.
 * The issuer (with the real port) is only known after listen, hence two steps.
 */
export async function attachDex(server: Server, issuer: string, options: Omit<DexClientOptions, "basePath">): Promise<void> {
  const { default: Provider, errors } = await loadOidcProvider();
  const basePath = new URL(issuer).pathname.replace(/\/$/, "");
  const provider = new Provider(issuer, dexProviderConfig({ ...options, basePath }, await generateSigningJwk()));
  provider.proxy = false;
  const oidc = provider.callback();
  const interactions = createInteractionHandler(provider, basePath, errors.SessionNotFound);

  const handler: Handler = (req, res) => {
    const rawUrl = req.url ?? "/";
    const pathname = new URL(rawUrl, "http://sandbox").pathname;
    if (pathname.startsWith(`${basePath}/interaction/`)) {
      interactions(req, res, pathname).catch((err: unknown) => {
        console.error("[sandbox dex]", err);
        if (!res.headersSent) sendText(res, 500, "Internal Server Error");
      });
      return;
    }
    if (pathname === "/healthz" || pathname === `${basePath}/healthz`) {
      sendJson(res, 200, { status: "ok" });
      return;
    }
    if (pathname === basePath || pathname.startsWith(`${basePath}/`)) {
      // oidc-provider derives its mount path from originalUrl vs url, as under express.
      const rest = rawUrl.slice(basePath.length);
      Object.assign(req, { originalUrl: rawUrl });
      req.url = rest.startsWith("/") ? rest : `/${rest}`;
      oidc(req, res);
      return;
    }
    sendText(res, 404, "Not Found");
  };
  server.on("request", handler);
}
