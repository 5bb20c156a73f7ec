"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Building2, ChartLine, Gauge, GitPullRequest, House, KeyRound, ListChecks, ScrollText, SquareTerminal } from "lucide-react";
import type { NavItem } from "@/lib/auth/navigation";
import { cn } from "@/lib/utils/cn";

const ICONS = { home: House, key: KeyRound, building: Building2, scroll: ScrollText, git: GitPullRequest, check: ListChecks, gauge: Gauge, chart: ChartLine, terminal: SquareTerminal };

export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <ul className="flex gap-1 overflow-x-auto md:flex-col">
      {items.map((item) => {
        const Icon = ICONS[item.icon];
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex items-center gap-2 whitespace-nowrap rounded-md px-3 py-2 text-sm text-muted-foreground outline-none hover:bg-muted hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring",
                active && "bg-muted font-medium text-foreground",
              )}
            >
              <Icon className="size-4" aria-hidden />
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
