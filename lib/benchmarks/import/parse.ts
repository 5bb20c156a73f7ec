import type { z } from "zod";
import { AppError, type FieldErrors } from "@/lib/http/errors";

/**
 * A wrong file is the user's mistake, not ours: say which field is wrong, in which file format,
 * and store nothing. The messages quote paths and zod's reason, never the file's values.
 */
export function parseReport<S extends z.ZodType>(schema: S, data: unknown, format: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const fields: FieldErrors = {};
  for (const issue of parsed.error.issues.slice(0, 20)) {
    const key = issue.path.map(String).join(".") || "(root)";
    (fields[key] ??= []).push(issue.message);
  }
  const first = Object.entries(fields)[0];
  throw new AppError("validation", `Not a valid ${format} file: ${first ? `${first[0]}: ${first[1][0]}` : "invalid"}`, fields);
}

/** JSON, or JSON lines (`vllm bench serve --append-result` writes one object per line). */
export function parseJsonText(text: string, format: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    try {
      if (lines.length > 1) return lines.map((l) => JSON.parse(l) as unknown);
    } catch {
      // fall through to the one error below
    }
    throw new AppError("validation", `Not a valid ${format} file: not JSON`, { "(root)": ["not JSON"] });
  }
}

export const secondsToMs = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : v * 1000);
