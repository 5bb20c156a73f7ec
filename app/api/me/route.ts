import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route("me", async ({ principal }) => ({
  userId: principal.userId,
  email: principal.email,
  name: principal.name,
  platformRoles: [...principal.platformRoles],
  tenants: Object.fromEntries(principal.tenantRoles),
}));
