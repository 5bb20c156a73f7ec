import { redirect, notFound } from "next/navigation";
import { AppError } from "@/lib/http/errors";
import { getPrincipal } from "./session";
import type { Principal } from "./principal";

/** For server pages: the principal, or a redirect to sign-in that comes back to `path`. */
export async function requirePagePrincipal(path: string): Promise<Principal> {
  const principal = await getPrincipal();
  if (!principal) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return principal;
}

/** Runs a use-case for a page; its 404s and 403s become Next's not-found page, like an unknown URL. */
export async function forPage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && (error.code === "not_found" || error.code === "forbidden")) notFound();
    throw error;
  }
}
