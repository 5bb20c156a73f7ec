import { AGGREGATE_FIELDS, type AllocationQuery } from "./allocation";
import { parseFilter } from "./filter";
import { parseDuration, parseWindow, ParamError } from "./window";

// A hostile `step=1m` over a year would build half a million sets; OpenCost would grind, the
// stand-in refuses.
export const MAX_SETS = 2000;

// strconv.ParseBool's spellings, which OpenCost's query helpers use.
const TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

function bool(params: URLSearchParams, name: string, fallback = false): boolean {
  const raw = params.get(name);
  if (raw === null || raw === "") return fallback;
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  // OpenCost silently falls back to the default here; the stand-in says so, to catch client typos.
  throw new ParamError(`Invalid '${name}' parameter: ${raw.slice(0, 50)}`);
}

function aggregate(raw: string | null): string[] {
  if (raw === null || raw.trim() === "") return [];
  return raw.split(",").map((part) => {
    const agg = part.trim();
    if ((AGGREGATE_FIELDS as readonly string[]).includes(agg)) return agg;
    if (/^label:[A-Za-z0-9_./-]{1,253}$/.test(agg)) return agg;
    throw new ParamError(`Invalid 'aggregate' parameter: unsupported aggregation: ${agg.slice(0, 100)}`);
  });
}

/** The `/allocation/compute` query string → a query; ParamError carries OpenCost's 400 message. */
export function parseAllocationQuery(params: URLSearchParams, now: number): AllocationQuery {
  let window;
  try {
    window = parseWindow(params.get("window") ?? "", now);
  } catch (err) {
    throw new ParamError(`Invalid 'window' parameter: ${(err as Error).message}`);
  }
  let step: number | undefined;
  const stepRaw = params.get("step");
  if (stepRaw) {
    try {
      step = parseDuration(stepRaw);
    } catch (err) {
      throw new ParamError(`Invalid 'step' parameter: ${(err as Error).message}`);
    }
    if ((window.end - window.start) / step > MAX_SETS) throw new ParamError(`Invalid 'step' parameter: more than ${MAX_SETS} sets`);
  }
  const accumulateRaw = params.get("accumulate") ?? "";
  if (!["", "all", ...TRUE, ...FALSE].includes(accumulateRaw)) throw new ParamError(`Invalid 'accumulate' parameter: ${accumulateRaw.slice(0, 50)} (the sandbox supports true/false/all)`);
  const filterRaw = params.get("filter");
  let filter;
  if (filterRaw) {
    try {
      filter = parseFilter(filterRaw);
    } catch (err) {
      throw new ParamError(`Invalid filter: ${(err as Error).message}`);
    }
  }
  return {
    window,
    step,
    aggregate: aggregate(params.get("aggregate")),
    accumulate: accumulateRaw === "all" || TRUE.has(accumulateRaw),
    // `idle` is the older spelling some OpenCost versions read.
    includeIdle: bool(params, "includeIdle", bool(params, "idle")),
    shareIdle: bool(params, "shareIdle"),
    idleByNode: bool(params, "idleByNode"),
    filter,
  };
}
