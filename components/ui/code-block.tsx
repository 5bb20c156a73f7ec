import * as React from "react";

import { CopyButton } from "@/components/ui/copy-button";
import { cn } from "@/lib/utils/cn";

export type CodeBlockProps = Omit<React.ComponentProps<"div">, "title"> & {
  code: string;
  /** Optional caption shown in a header bar (e.g. "curl", ".env"). */
  title?: string;
  /** Informational only (data-language); no syntax highlighting. */
  language?: string;
  /** Accessible label of the copy button. */
  copyLabel?: string;
};

/** Horizontally scrollable, keyboard-focusable <pre><code> with a copy button. */
export function CodeBlock({ code, title, language, copyLabel, className, ...props }: CodeBlockProps) {
  const label = copyLabel ?? (title ? `Copy ${title}` : "Copy code");
  return (
    <div
      data-slot="code-block"
      data-language={language}
      className={cn("relative overflow-hidden rounded-lg border bg-muted/60 text-sm", className)}
      {...props}
    >
      {title ? (
        <div className="flex items-center justify-between gap-2 border-b px-4 py-1.5">
          <span className="truncate font-mono text-xs text-muted-foreground">{title}</span>
          <CopyButton value={code} label={label} variant="ghost" />
        </div>
      ) : (
        <CopyButton value={code} label={label} variant="ghost" className="absolute top-2 right-2 bg-muted/80" />
      )}
      <pre
        tabIndex={0}
        aria-label={title}
        className={cn(
          "overflow-x-auto p-4 font-mono text-[13px] leading-relaxed outline-hidden focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset",
          !title && "pr-14",
        )}
      >
        <code>{code}</code>
      </pre>
    </div>
  );
}
