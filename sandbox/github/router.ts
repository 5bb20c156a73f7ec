import type { Route } from "./route-types";

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Matches `/repos/:owner/:repo/git/ref/*ref`-style paths; the first route that
 * fits wins. Octokit sends `{ref}` and `{path}` percent-encoded (`heads%2Fmain`),
 * curl users send raw slashes; both arrive at the same params.
 */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch | "method-not-allowed" | undefined {
  const segments = pathname.split("/").filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (!params) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? "method-not-allowed" : undefined;
}

function matchPath(pattern: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = pattern.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.startsWith("*")) {
      const rest = segments.slice(i).map(decode);
      if (rest.length === 0 || rest.some((s) => s === undefined)) return undefined;
      params[part.slice(1)] = rest.join("/");
      return params;
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (part.startsWith(":")) {
      const value = decode(segment);
      if (value === undefined) return undefined;
      params[part.slice(1)] = value;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return segments.length === parts.length ? params : undefined;
}
