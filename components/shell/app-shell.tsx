import Link from "next/link";
import { Cpu } from "lucide-react";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import type { NavItem } from "@/lib/auth/navigation";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

type Props = { nav: NavItem[]; user: { email: string; name: string | null }; children: React.ReactNode };

export function AppShell({ nav, user, children }: Props) {
  return (
    <div className="flex min-h-dvh flex-col md:flex-row">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:p-2">
        Skip to content
      </a>
      <aside className="border-b border-border bg-card md:w-60 md:shrink-0 md:border-b-0 md:border-r">
        <div className="flex items-center justify-between gap-2 px-4 py-3 md:flex-col md:items-stretch">
          <Link href="/" className="flex items-center gap-2 font-semibold">
            <Cpu className="size-5 text-primary" aria-hidden />
            Inference Portal
          </Link>
        </div>
        <nav aria-label="Main" className="px-2 pb-2 md:pb-4">
          <NavLinks items={nav} />
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end gap-3 border-b border-border px-4 py-2">
          <span className="truncate text-sm text-muted-foreground" title={user.email}>
            {user.name ?? user.email}
          </span>
          <ThemeToggle />
          <SignOutButton />
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 md:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
