import { AppError } from "@/lib/http/errors";
import type { ImportedRun } from "../model";
import { importGuidellm } from "./guidellm";
import { importInferencePerf } from "./inference-perf";
import { parseJsonText } from "./parse";
import { importVllm } from "./vllm";

export const IMPORT_FORMATS = ["vllm", "guidellm", "inference-perf"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Largest file we accept: vLLM's detailed results carry every generated text. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** Parses an uploaded report of a declared format into the run model; throws a 422 AppError. */
export function parseImport(format: ImportFormat, text: string, name?: string): ImportedRun {
  if (text.length > MAX_IMPORT_BYTES) throw new AppError("validation", `File larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`);
  const label = format === "vllm" ? "vllm bench serve result" : format === "guidellm" ? "GuideLLM report" : "inference-perf report";
  const data = parseJsonText(text, label);
  switch (format) {
    case "vllm":
      return importVllm(data, name);
    case "guidellm":
      return importGuidellm(data, name);
    case "inference-perf":
      return importInferencePerf(data, name);
  }
}
