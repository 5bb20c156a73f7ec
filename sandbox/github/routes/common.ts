import { GitHubError, notFound } from "../errors";
import type { PullRecord } from "../state";
import type { JsonResult, RouteContext } from "../route-types";

export function pullNumber(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw notFound();
  return n;
}

export function requirePull(ctx: RouteContext, param = "pull_number"): PullRecord {
  const pr = ctx.backend.store.pull(pullNumber(ctx.params[param]));
  if (!pr) throw notFound();
  return pr;
}

/** GitHub wraps base64 content at 60 characters per line, each line ending in "\n". */
export function wrappedBase64(content: Buffer): string {
  const b64 = content.toString("base64");
  return b64.replace(/.{1,60}/g, "$&\n");
}

function positiveInt(ctx: RouteContext, name: string, fallback: number): number {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new GitHubError(422, `Invalid value for ${name}`);
  return n;
}

/**
 * `page`/`per_page` (default 30, at most 100) with a Link header, so that
 * `octokit.paginate` walks lists exactly as it does on GitHub.
 */
export function paginate<T>(ctx: RouteContext, items: readonly T[], map: (item: T) => unknown = (x) => x): JsonResult {
  const perPage = Math.min(positiveInt(ctx, "per_page", 30), 100);
  const page = positiveInt(ctx, "page", 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage).map(map);
  const link = (p: number, rel: string) => {
    const url = new URL(ctx.links.api(ctx.path));
    ctx.url.searchParams.forEach((v, k) => url.searchParams.set(k, v));
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(p));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(link(page - 1, "prev"), link(1, "first"));
  if (page < last) rels.push(link(page + 1, "next"), link(last, "last"));
  return { body, headers: rels.length ? { link: rels.join(", ") } : {} };
}
