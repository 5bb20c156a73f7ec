import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode } from "@lezer/common";
import { MetricsParamError } from "./errors";
import { decodeStringLiteral, promqlString, regexLiteral } from "./promql-string";

/**
 * Tenant scoping by rewriting the parsed query, the way prom-label-proxy enforces a label: every
 * vector selector gets the tenant's namespace matcher, wherever it sits (inside range selectors,
 * subqueries, function arguments, both sides of a binary operation, under offset/@). The output
 * is the input with matchers spliced in at node positions; user text is never concatenated into
 * new syntax, and what we add is escaped. Anything we are not certain we can scope is refused:
 * a refused dashboard query is a bug report, a leaked series is an incident.
 */

export const MAX_QUERY_LENGTH = 20_000;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

// Node types we understand. Everything else is refused, so syntax added to the grammar later
// (the parser is newer than the Prometheus we run) fails closed instead of passing unscoped.
const STRUCTURE = [
  "PromQL", "AggregateExpr", "AggregateOp", "AggregateModifier", "By", "Without", "GroupingLabels", "LabelName",
  "StringLiteral", "FunctionCallBody", "BinaryExpr", "BoolModifier", "Bool", "MatchingModifierClause", "On", "Ignoring",
  "GroupLeft", "GroupRight", "NumberDurationLiteral", "FunctionCall", "FunctionIdentifier", "Identifier",
  "MatrixSelector", "DurationExpr", "NumberDurationLiteralInDurationContext", "OffsetExpr", "Offset",
  "OffsetDurationExpr", "ParenExpr", "SubqueryExpr", "UnaryExpr", "UnaryOp", "VectorSelector", "LabelMatchers",
  "UnquotedLabelMatcher", "MatchOp", "EqlSingle", "EqlRegex", "Neq", "NeqRegex", "StepInvariantExpr", "At",
  "AtModifierPreprocessors", "StartFn", "EndFn", "AtStart", "AtEnd",
];
const OPERATORS = ["Pow", "Mul", "Div", "Mod", "Add", "Sub", "Eql", "Gte", "Gtr", "Lte", "Lss", "And", "Or", "Unless", "Atan2"];
const AGGREGATORS = ["Avg", "Bottomk", "Count", "CountValues", "Group", "Max", "Min", "Quantile", "Stddev", "Stdvar", "Sum", "Topk"];
// Functions of Prometheus 2.x. `info()` is left out on purpose: its second argument is a
// selector for info metrics that must not be namespace-scoped like the others.
const FUNCTIONS = [
  "AbsentOverTime", "Absent", "Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "AvgOverTime", "Ceil", "Changes",
  "Clamp", "ClampMax", "ClampMin", "Cos", "Cosh", "CountOverTime", "DaysInMonth", "DayOfMonth", "DayOfWeek", "DayOfYear",
  "Deg", "Delta", "Deriv", "Exp", "Floor", "HistogramCount", "HistogramFraction", "HistogramQuantile", "HistogramSum",
  "HistogramStdDev", "HistogramStdVar", "HoltWinters", "Hour", "Idelta", "Increase", "Irate", "LabelReplace", "LabelJoin",
  "LastOverTime", "Ln", "Log10", "Log2", "MaxOverTime", "MinOverTime", "Minute", "Month", "Pi", "PredictLinear",
  "PresentOverTime", "QuantileOverTime", "Rad", "Rate", "Resets", "Round", "Scalar", "Sgn", "Sin", "Sinh", "Sort",
  "SortDesc", "Sqrt", "StddevOverTime", "StdvarOverTime", "SumOverTime", "Tan", "Tanh", "Timestamp", "Time", "Vector", "Year",
];
const ALLOWED = new Set([...STRUCTURE, ...OPERATORS, ...AGGREGATORS, ...FUNCTIONS]);

/** The matcher a scoped selector carries: `namespace="a"` or `namespace=~"^(?:a|b)$"`. */
export function namespaceMatcher(namespaces: readonly string[]): string {
  const list = normalizeNamespaces(namespaces);
  return list.length === 1
    ? `namespace=${promqlString(list[0]!)}`
    : `namespace=~${promqlString(namespaceRegex(list))}`;
}

function namespaceRegex(list: readonly string[]): string {
  return `^(?:${list.map(regexLiteral).join("|")})$`;
}

/** An empty list must never mean "every namespace": that is a caller bug, thrown loudly. */
function normalizeNamespaces(namespaces: readonly string[]): string[] {
  const list = [...new Set(namespaces)].sort();
  if (list.length === 0) throw new Error("tenant scope without namespaces");
  for (const ns of list) if (!DNS_LABEL.test(ns)) throw new Error(`tenant namespace is not a DNS label: ${JSON.stringify(ns).slice(0, 80)}`);
  return list;
}

const refuse = (message: string): never => {
  throw new MetricsParamError("query", message);
};

type Splice = { at: number; text: string };

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

/**
 * Walks the whole tree, refusing what cannot be scoped, and returns where matchers must go.
 * Run twice: on the input (to plan the splices) and on the output (which must need none).
 */
function analyse(query: string, namespaces: readonly string[]): Splice[] {
  const allowed = new Set(namespaces);
  const ourRegex = namespaceRegex(namespaces);
  const matcher = namespaceMatcher(namespaces);
  const text = (node: SyntaxNode) => query.slice(node.from, node.to);
  const literal = (node: SyntaxNode): string => {
    const value = decodeStringLiteral(text(node));
    return value ?? refuse(`malformed string literal at position ${node.from}`);
  };
  const splices: Splice[] = [];
  const tree = parser.parse(query);
  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (ref.type.isError) refuse(`the query does not parse (near position ${ref.from})`);
      if (!ALLOWED.has(ref.name)) {
        // Comments, UTF-8 quoted names, info(), experimental syntax: the parser we check with
        // and the Prometheus that executes could disagree on them, so they are not scoped.
        refuse(`"${query.slice(ref.from, Math.min(ref.to, ref.from + 40))}" (${ref.name}) is not allowed in a tenant-scoped query`);
      }
      if (ref.name === "StringLiteral") literal(node);
      // A metric name anywhere but in a selector means the grammar surprised us.
      if (ref.name === "Identifier" && node.parent?.name !== "VectorSelector") refuse(`unexpected name at position ${ref.from}`);
      if (ref.name === "FunctionCall") checkRelabel(node);
      if (ref.name === "AggregateExpr") checkCountValues(node);
      if (ref.name === "VectorSelector") planSelector(node);
    },
  });
  return splices;

  /**
   * label_replace/label_join could write a fake `namespace` onto the tenant's own series, and
   * whatever groups or trusts results by namespace downstream would then misattribute them.
   */
  function checkRelabel(call: SyntaxNode) {
    const fn = call.getChild("FunctionIdentifier")?.firstChild?.name;
    if (fn !== "LabelReplace" && fn !== "LabelJoin") return;
    const args = childrenOf(call.getChild("FunctionCallBody")!);
    const destination = args[1];
    if (!destination || destination.name !== "StringLiteral") refuse(`${fn === "LabelReplace" ? "label_replace" : "label_join"} needs a literal destination label`);
    if (literal(destination!) === "namespace") refuse("relabelling onto the namespace label is not allowed in a tenant-scoped query");
  }

  /** count_values("namespace", …) would likewise mint a namespace label from sample values. */
  function checkCountValues(aggregate: SyntaxNode) {
    if (aggregate.getChild("AggregateOp")?.firstChild?.name !== "CountValues") return;
    const label = childrenOf(aggregate.getChild("FunctionCallBody")!)[0];
    if (!label || label.name !== "StringLiteral" || literal(label) === "namespace") refuse("count_values may not write the namespace label in a tenant-scoped query");
  }

  function planSelector(selector: SyntaxNode) {
    const name = selector.getChild("Identifier");
    const block = selector.getChild("LabelMatchers");
    const matchers = block ? childrenOf(block) : [];
    let scoped = false;
    let hasName = Boolean(name);
    for (const m of matchers) {
      if (m.name !== "UnquotedLabelMatcher") refuse(`unexpected matcher at position ${m.from}`);
      const label = text(m.getChild("LabelName")!);
      const op = m.getChild("MatchOp")?.firstChild?.name;
      const value = literal(m.getChild("StringLiteral")!);
      if (label === "namespace") {
        // Another tenant's namespace, a negation (`!=` matches every other namespace) or a
        // regex (`=~".+"`) could all reach beyond the tenant: only its own names pass.
        const ok = (op === "EqlSingle" && allowed.has(value)) || (op === "EqlRegex" && value === ourRegex);
        if (!ok) refuse(`the query selects namespace ${op === "EqlSingle" ? JSON.stringify(value) : "by pattern or negation"}, outside this tenant`);
        scoped = true;
      }
      if (label === "__name__") {
        // `{__name__=~".+"}` fans out to every series of the namespace: a cost no dashboard needs.
        if (op !== "EqlSingle") refuse("metric names must be given literally in a tenant-scoped query");
        hasName = true;
      }
    }
    if (!hasName) refuse(`selector at position ${selector.from} has no metric name`);
    if (scoped) return;
    if (block) splices.push({ at: block.from + 1, text: matchers.length ? `${matcher},` : matcher });
    else splices.push({ at: name!.to, text: `{${matcher}}` });
  }
}

/**
 * The query restricted to the tenant's namespaces. Throws MetricsParamError (field "query") for
 * anything it refuses to scope; the message says why and is safe to show.
 */
export function scopeQuery(query: string, namespaces: readonly string[]): string {
  const list = normalizeNamespaces(namespaces);
  if (query.length > MAX_QUERY_LENGTH) refuse(`the query is longer than ${MAX_QUERY_LENGTH.toLocaleString("en-US")} characters`);
  if (!query.trim()) refuse("the query is empty");
  const splices = analyse(query, list).sort((a, b) => b.at - a.at);
  let out = query;
  for (const splice of splices) out = out.slice(0, splice.at) + splice.text + out.slice(splice.at);
  // Belt and braces: the rewritten query must parse and need no further scoping.
  if (analyse(out, list).length > 0) throw new Error("scoping did not converge");
  return out;
}
