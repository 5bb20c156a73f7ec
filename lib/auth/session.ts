import { cache } from "react";
import { getServerSession } from "next-auth";
import { getDb } from "@/lib/db/client";
import { authOptions } from "./options";
import { resolvePrincipal, type Principal } from "./principal";

/**
 * The signed-in principal with roles recomputed from the database, or null. Cached per
 * server render so a page and its components resolve it once.
 */
export const getPrincipal = cache(async (requestId?: string): Promise<Principal | null> => {
  const session = await getServerSession(authOptions());
  const identity = session?.identity;
  if (!identity?.subject || !identity.issuer) return null;
  const principal = await resolvePrincipal(await getDb(), identity);
  return { ...principal, requestId };
});
