import type { Route, RouteHandler } from "../route-types";
import { allowedModels } from "./access";
import { authenticateCaller } from "./caller";

// LiteLLM reports a fixed creation time and "openai" as owner for every model.
const CREATED = 1677610602;

const listModels: RouteHandler = ({ req, store, config }) => {
  const caller = authenticateCaller(req, store, config.masterKey);
  return {
    body: {
      data: allowedModels(caller, config.models).map((id) => ({ id, object: "model", created: CREATED, owned_by: "openai" })),
      object: "list",
    },
  };
};

export const modelRoutes: Route[] = [
  { method: "GET", path: "/v1/models", auth: "gateway", handler: listModels },
  { method: "GET", path: "/models", auth: "gateway", handler: listModels },
];
