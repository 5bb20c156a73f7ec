import { cn } from "@/lib/utils/cn";

export type DiffFile = { path: string; status: string; patch: string | null; content: string | null };

function lineClass(line: string): string {
  if (line.startsWith("+")) return "bg-success/10 text-success-foreground dark:text-success";
  if (line.startsWith("-")) return "bg-destructive/10 text-destructive";
  if (line.startsWith("@@")) return "text-muted-foreground";
  return "";
}

/** The change as GitHub shows it (patch) when the PR exists, else the rendered files themselves. */
export function FileDiff({ files }: { files: DiffFile[] }) {
  return (
    <div className="grid gap-4">
      {files.map((f) => {
        const text = f.patch ?? (f.content === null ? "(file removed)" : f.content.split("\n").map((l) => `+${l}`).join("\n"));
        return (
          <details key={f.path} className="rounded-md border border-border" open={files.length <= 4}>
            <summary className="cursor-pointer px-3 py-2 font-mono text-xs">
              {f.path} <span className="text-muted-foreground">({f.status})</span>
            </summary>
            <pre className="max-h-96 overflow-auto border-t border-border text-xs leading-5" tabIndex={0}>
              {text.split("\n").map((line, i) => (
                <div key={i} className={cn("px-3 font-mono whitespace-pre", lineClass(line))}>
                  {line || " "}
                </div>
              ))}
            </pre>
          </details>
        );
      })}
    </div>
  );
}
