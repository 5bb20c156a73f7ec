import type { Route } from "./route-types";

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Matches "/key/:key/regenerate"-style paths; the first route that fits wins. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch | "method-not-allowed" | undefined {
  const segments = pathname.split("/").filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
    const pattern = route.path.split("/").filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((part, i) => {
      const segment = segments[i]!;
      if (part.startsWith(":")) {
        params[part.slice(1)] = decodeURIComponent(segment);
        return true;
      }
      return part === segment;
    });
    if (!fits) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? "method-not-allowed" : undefined;
}
