import { cache } from "react";
import { headers } from "next/headers";
import { getServerSession } from "next-auth";
import { getDb } from "@/lib/db/client";
import { authOptions } from "./options";
import { resolvePrincipal, type Principal } from "./principal";

/**
 * The signed-in principal with roles recomputed from the database, or null. Cached per
 * request so a layout, its page and their components resolve it once. Carries the request id
 * that proxy.ts assigned, for logs and audit events.
 */
export const getPrincipal = cache(async (): Promise<Principal | null> => {
  const session = await getServerSession(authOptions());
  const identity = session?.identity;
  if (!identity?.subject || !identity.issuer) return null;
  const principal = await resolvePrincipal(await getDb(), identity);
  return { ...principal, requestId: (await headers()).get("x-request-id") ?? undefined };
});
