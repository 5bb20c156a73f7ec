import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { logger } from "@/lib/observability/log";
import { createTenant } from "./create-tenant";

/** The actor recorded for tenants created from BOOTSTRAP_TENANTS_FILE at start. */
const BOOTSTRAP: Principal = {
  userId: "system:bootstrap",
  email: "system:bootstrap",
  name: "Bootstrap",
  groups: [],
  platformRoles: new Set(["platform-admin"]),
  tenantRoles: new Map(),
};

/**
 * Creates the tenants listed in a JSON file that do not exist yet, through the same use-case
 * (validation, outbox, audit) as the UI. Lets a fresh install start with its first tenants
 * before anyone can sign in as a platform admin.
 */
export async function bootstrapTenants(db: Db, file: string): Promise<string[]> {
  const list = z.array(z.looseObject({ slug: z.string() })).parse(JSON.parse(await readFile(file, "utf8")));
  const existing = new Set((await db.tenant.findMany({ select: { id: true } })).map((t) => t.id));
  const created: string[] = [];
  for (const spec of list) {
    if (existing.has(spec.slug)) continue;
    await createTenant(db, BOOTSTRAP, spec);
    created.push(spec.slug);
  }
  if (created.length) logger.info("bootstrapped tenants", { created });
  return created;
}
