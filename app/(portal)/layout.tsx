import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppShell } from "@/components/shell/app-shell";
import { QueryProvider } from "@/components/providers/query-provider";
import { getPrincipal } from "@/lib/auth/session";
import { navFor } from "@/lib/auth/navigation";

export const dynamic = "force-dynamic";

// The layout only renders chrome; every page authorizes its own data again, because layouts
// are not re-run on client navigation.
export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const principal = await getPrincipal();
  // Signed out: back to sign-in, then to the page that was asked for (proxy.ts passes its path).
  if (!principal) {
    const path = (await headers()).get("x-portal-path") ?? "/";
    redirect(`/signin?callbackUrl=${encodeURIComponent(path.startsWith("/") ? path : "/")}`);
  }
  return (
    <QueryProvider>
      <AppShell nav={navFor(principal)} user={{ email: principal.email, name: principal.name }}>
        {children}
      </AppShell>
    </QueryProvider>
  );
}
