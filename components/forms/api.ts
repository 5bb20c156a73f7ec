import type { FieldErrors } from "@/lib/http/errors";
import type { Snippet } from "@/lib/keys/snippets";

export type ApiFailure = { message: string; fields?: FieldErrors };
export type Issued = { secret: string; snippets: Snippet[]; alias: string };

/** fetch against the portal's own API, returning its JSON or throwing its `{ error }` shape. */
export async function apiFetch<T>(url: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(url, {
    method: init?.method ?? "GET",
    headers: init?.body === undefined ? undefined : { "content-type": "application/json" },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (body as { error?: ApiFailure } | null)?.error;
    throw Object.assign(new Error(error?.message ?? `Request failed (${res.status})`), { fields: error?.fields });
  }
  return body as T;
}

export function failure(error: unknown): ApiFailure {
  const e = error as Error & { fields?: FieldErrors };
  return { message: e.message, fields: e.fields };
}
