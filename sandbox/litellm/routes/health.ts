import type { Route } from "../route-types";

export const healthRoutes: Route[] = [
  // LiteLLM answers liveliness with a bare JSON string.
  { method: "GET", path: "/health/liveliness", auth: "public", handler: () => ({ body: "I'm alive!" }) },
  { method: "GET", path: "/health/liveness", auth: "public", handler: () => ({ body: "I'm alive!" }) },
  {
    method: "GET",
    path: "/health/readiness",
    auth: "public",
    handler: () => ({ body: { status: "healthy", db: "connected", cache: null, litellm_version: "sandbox" } }),
  },
];
