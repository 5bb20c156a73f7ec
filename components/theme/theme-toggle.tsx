"use client";

import * as React from "react";
import { ToggleGroup } from "radix-ui";
import { Monitor, Moon, Sun } from "lucide-react";

import { THEME_STORAGE_KEY } from "@/components/theme/theme-script";
import { cn } from "@/lib/utils/cn";

export type Theme = "light" | "dark" | "system";

const CHANGE_EVENT = "inference-portal:themechange";
const DARK_QUERY = "(prefers-color-scheme: dark)";

function readTheme(): Theme {
  try {
    const value = window.localStorage.getItem(THEME_STORAGE_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

function applyTheme(theme: Theme) {
  const dark = theme === "dark" || (theme === "system" && window.matchMedia(DARK_QUERY).matches);
  const root = document.documentElement;
  root.classList.toggle("dark", dark);
  root.style.colorScheme = dark ? "dark" : "light";
}

function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}

/** Current theme preference (null during SSR/hydration) and a setter that persists it. */
export function useTheme(): { theme: Theme | null; setTheme: (theme: Theme) => void } {
  const theme = React.useSyncExternalStore<Theme | null>(subscribe, readTheme, () => null);

  React.useEffect(() => {
    if (theme === null) return;
    applyTheme(theme);
    if (theme !== "system") return;
    const media = window.matchMedia(DARK_QUERY);
    const onMediaChange = () => applyTheme("system");
    media.addEventListener("change", onMediaChange);
    return () => media.removeEventListener("change", onMediaChange);
  }, [theme]);

  const setTheme = React.useCallback((next: Theme) => {
    try {
      window.localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // storage unavailable (private mode); still apply for this page view
    }
    applyTheme(next);
    window.dispatchEvent(new Event(CHANGE_EVENT));
  }, []);

  return { theme, setTheme };
}

const options = [
  { value: "light", label: "Light", Icon: Sun },
  { value: "dark", label: "Dark", Icon: Moon },
  { value: "system", label: "System", Icon: Monitor },
] as const;

/** Segmented light/dark/system control (radio group; arrow keys move, Space/Enter selects). */
export function ThemeToggle({ className }: { className?: string }) {
  const { theme, setTheme } = useTheme();

  return (
    <ToggleGroup.Root
      type="single"
      aria-label="Color theme"
      value={theme ?? ""}
      onValueChange={(value) => {
        if (value === "light" || value === "dark" || value === "system") setTheme(value);
      }}
      className={cn("inline-flex items-center gap-0.5 rounded-md border bg-background p-0.5", className)}
    >
      {options.map(({ value, label, Icon }) => (
        <ToggleGroup.Item
          key={value}
          value={value}
          aria-label={label}
          title={label}
          className={cn(
            "inline-flex size-7 items-center justify-center rounded-sm text-muted-foreground transition-colors outline-hidden",
            "hover:bg-accent hover:text-accent-foreground focus-visible:ring-2 focus-visible:ring-ring",
            "data-[state=on]:bg-secondary data-[state=on]:text-foreground",
          )}
        >
          <Icon className="size-4" aria-hidden="true" />
        </ToggleGroup.Item>
      ))}
    </ToggleGroup.Root>
  );
}
