import { z } from "zod";
import { AppError, validationError } from "@/lib/http/errors";
import { dnsLabel, deploymentName } from "@/lib/gitops/requests";
import { customRangeProblem, parseInstant, RANGE_PRESET_IDS, RANGE_PRESETS, type RangeSelection, type ResolvedRange } from "./range";

/**
 * The dashboards API's query string, parsed strictly: every field that fails names itself so
 * the page can say which one. Namespaces and deployment names are DNS-1123 labels because they
 * end up as label matchers in PromQL; anything else is refused here, before C's builder ever
 * sees it (which escapes again).
 */

export const MIN_WIDTH_PX = 120;
export const MAX_WIDTH_PX = 4000;
export const DEFAULT_WIDTH_PX = 800;

const instant = z
  .string()
  .max(40, "Too long")
  .transform((value, ctx) => {
    const seconds = parseInstant(value);
    if (seconds === null) {
      ctx.addIssue({ code: "custom", message: "An ISO 8601 date-time or unix seconds" });
      return z.NEVER;
    }
    return seconds;
  });

const sloMs = z.coerce
  .number({ error: "A number of milliseconds" })
  .int("Whole milliseconds")
  .min(1, "At least 1 ms")
  .max(60_000, "At most 60,000 ms");

const rangeFields = z.object({
  range: z.enum(["custom", ...RANGE_PRESET_IDS], { error: `One of ${RANGE_PRESET_IDS.join(", ")}, custom` }).optional(),
  from: instant.optional(),
  to: instant.optional(),
  width: z.coerce
    .number({ error: "A number of pixels" })
    .int("Whole pixels")
    .min(MIN_WIDTH_PX, `At least ${MIN_WIDTH_PX}`)
    .max(MAX_WIDTH_PX, `At most ${MAX_WIDTH_PX}`)
    .default(DEFAULT_WIDTH_PX),
});

export const dashboardQuerySchema = rangeFields.extend({
  namespace: dnsLabel(63).optional(),
  deployment: deploymentName.optional(),
  ttftSloMs: sloMs.optional(),
  itlSloMs: sloMs.optional(),
  /** A subset of the dashboard's panels, comma-separated (a page that shows one panel on its own). */
  panels: z
    .string()
    .max(1000, "Too long")
    .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, "Comma-separated panel ids")
    .transform((value) => [...new Set(value.split(","))])
    .optional(),
});

export const exploreQuerySchema = rangeFields.extend({
  query: z.string({ error: "Required" }).trim().min(1, "Required").max(10_000, "At most 10,000 characters"),
});

export type ParsedRange = { selection: RangeSelection; range: ResolvedRange; widthPx: number };

type RangeInput = z.output<typeof rangeFields>;

/** Both forms of a range, checked against each other; `now` is injected so tests are exact. */
function resolveRangeFields(input: RangeInput, nowSeconds: number): ParsedRange {
  const issue = (field: string, message: string) => new AppError("validation", "Some fields are invalid", { [field]: [message] });
  const widthPx = input.width;
  const custom = input.range === "custom" || (input.range === undefined && (input.from !== undefined || input.to !== undefined));
  if (!custom) {
    if (input.from !== undefined || input.to !== undefined) throw issue("range", "Give either a preset range or from/to, not both");
    const preset = (input.range ?? "1h") as keyof typeof RANGE_PRESETS;
    const end = Math.floor(nowSeconds);
    return { selection: { kind: "preset", preset }, range: { start: end - RANGE_PRESETS[preset], end }, widthPx };
  }
  if (input.from === undefined) throw issue("from", "Required for a custom range");
  if (input.to === undefined) throw issue("to", "Required for a custom range");
  const problem = customRangeProblem(input.from, input.to, nowSeconds);
  if (problem) throw issue("to", problem);
  return { selection: { kind: "custom", from: input.from, to: input.to }, range: { start: input.from, end: input.to }, widthPx };
}

function searchObject(params: URLSearchParams): Record<string, string> {
  // A repeated parameter is ambiguous (which one did the user mean?): the last one wins, as in
  // URLSearchParams.get's mirror image, and empty values count as absent.
  const out: Record<string, string> = {};
  for (const [key, value] of params) if (value !== "") out[key] = value;
  return out;
}

export type DashboardQuery = ParsedRange & Omit<z.output<typeof dashboardQuerySchema>, keyof RangeInput>;

export function parseDashboardQuery(params: URLSearchParams, nowSeconds: number): DashboardQuery {
  const parsed = dashboardQuerySchema.safeParse(searchObject(params));
  if (!parsed.success) throw validationError(parsed.error);
  const { range, from, to, width, ...rest } = parsed.data;
  return { ...resolveRangeFields({ range, from, to, width }, nowSeconds), ...rest };
}

export type ExploreQuery = ParsedRange & { query: string };

export function parseExploreQuery(params: URLSearchParams, nowSeconds: number): ExploreQuery {
  const parsed = exploreQuerySchema.safeParse(searchObject(params));
  if (!parsed.success) throw validationError(parsed.error);
  const { range, from, to, width, query } = parsed.data;
  return { ...resolveRangeFields({ range, from, to, width }, nowSeconds), query };
}
