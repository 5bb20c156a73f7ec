"use client";

import * as React from "react";
import { Check, Copy, X } from "lucide-react";

import { Button, type ButtonProps } from "@/components/ui/button";
import { cn } from "@/lib/utils/cn";

type CopyStatus = "idle" | "copied" | "error";

/** Copy text; uses the async Clipboard API when available (secure contexts) else a hidden-textarea fallback. */
export async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== "undefined" && navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the legacy path (e.g. permission denied)
    }
  }
  return legacyCopy(text);
}

function legacyCopy(text: string): boolean {
  if (typeof document === "undefined") return false;
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const textarea = document.createElement("textarea");
  textarea.value = text;
  textarea.setAttribute("readonly", "");
  textarea.setAttribute("aria-hidden", "true");
  textarea.style.position = "fixed";
  textarea.style.top = "0";
  textarea.style.left = "-9999px";
  textarea.style.opacity = "0";
  document.body.appendChild(textarea);
  textarea.select();
  textarea.setSelectionRange(0, text.length);
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  } finally {
    document.body.removeChild(textarea);
    previous?.focus();
  }
  return ok;
}

export type CopyButtonProps = Omit<ButtonProps, "onClick" | "children" | "asChild" | "value"> & {
  /** Text placed on the clipboard. */
  value: string;
  /** Accessible name / visible text in idle state, e.g. "Copy API key". */
  label?: string;
  copiedLabel?: string;
  /** Show the label as visible text next to the icon (default: icon only). */
  showLabel?: boolean;
  onCopied?: () => void;
};

export function CopyButton({
  value,
  label = "Copy to clipboard",
  copiedLabel = "Copied",
  showLabel = false,
  onCopied,
  variant = "outline",
  size,
  className,
  ...props
}: CopyButtonProps) {
  const [status, setStatus] = React.useState<CopyStatus>("idle");
  const timer = React.useRef<ReturnType<typeof setTimeout> | null>(null);

  React.useEffect(() => {
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  async function handleClick() {
    const ok = await copyText(value);
    setStatus(ok ? "copied" : "error");
    if (ok) onCopied?.();
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setStatus("idle"), 2000);
  }

  const text = status === "copied" ? copiedLabel : status === "error" ? "Copy failed" : label;
  const Icon = status === "copied" ? Check : status === "error" ? X : Copy;

  return (
    <Button
      variant={variant}
      size={size ?? (showLabel ? "sm" : "icon")}
      className={cn(!showLabel && size === undefined && "size-8", className)}
      onClick={handleClick}
      aria-label={showLabel ? undefined : label}
      data-state={status}
      {...props}
    >
      <Icon aria-hidden="true" className={cn(status === "copied" && "text-success")} />
      {showLabel ? <span>{text}</span> : null}
      <span className="sr-only" aria-live="polite">
        {status === "idle" ? "" : status === "copied" ? copiedLabel : "Copy failed"}
      </span>
    </Button>
  );
}
