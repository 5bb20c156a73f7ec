import { parser } from "@prometheus-io/lezer-promql";
import { describe, expect, it } from "vitest";
import { MetricsParamError } from "./errors";
import { MAX_QUERY_LENGTH, scopeQuery } from "./promql-scope";
import { decodeStringLiteral, promqlString } from "./promql-string";
import { validateParams } from "./params";

const ONE = ["acme"];
const TWO = ["acme", "acme-dev"];

/** Every selector of a query with its matchers, read back from the parse tree. */
function selectors(query: string): Array<{ text: string; namespace: string[] }> {
  const out: Array<{ text: string; namespace: string[] }> = [];
  parser.parse(query).iterate({
    enter: (ref) => {
      if (ref.name !== "VectorSelector") return;
      const namespace: string[] = [];
      ref.node.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher").forEach((m) => {
        if (query.slice(m.getChild("LabelName")!.from, m.getChild("LabelName")!.to) === "namespace") namespace.push(query.slice(m.from, m.to));
      });
      out.push({ text: query.slice(ref.from, ref.to), namespace });
    },
  });
  return out;
}

function refusal(query: string, namespaces = ONE): string {
  try {
    const out = scopeQuery(query, namespaces);
    throw new Error(`expected refusal, got ${out}`);
  } catch (error) {
    expect(error).toBeInstanceOf(MetricsParamError);
    expect((error as MetricsParamError).field).toBe("query");
    return (error as Error).message;
  }
}

describe("scopeQuery puts the tenant's namespace on every selector", () => {
  it.each([
    ["plain selector", "up", 'up{namespace="acme"}'],
    ["empty braces", "up{}", 'up{namespace="acme"}'],
    ["existing matchers and trailing comma", 'up{job="vllm",}', 'up{namespace="acme",job="vllm",}'],
    ["range selector", "rate(foo_total[5m])", 'rate(foo_total{namespace="acme"}[5m])'],
    ["offset and @", "foo offset 1h @ end()", 'foo{namespace="acme"} offset 1h @ end()'],
    ["@ timestamp in a range", "rate(foo[5m] @ 1700000000)", 'rate(foo{namespace="acme"}[5m] @ 1700000000)'],
    ["subquery", "max_over_time(rate(foo[1m])[1h:30s])", 'max_over_time(rate(foo{namespace="acme"}[1m])[1h:30s])'],
    ["own namespace kept", 'foo{namespace="acme"}', 'foo{namespace="acme"}'],
    ["name matcher", '{__name__="foo"}', '{namespace="acme",__name__="foo"}'],
    ["colon metric names", "vllm:num_requests_running", 'vllm:num_requests_running{namespace="acme"}'],
  ])("%s", (_name, input, expected) => {
    expect(scopeQuery(input, ONE)).toBe(expected);
  });

  it.each([
    "sum by (le) (rate(a_bucket[5m])) / on (pod) group_left (node) b",
    "a * ignoring (namespace) b",
    "a and on () vector(1) or c unless d",
    "histogram_quantile(0.9, sum by (le) (rate(x_bucket{model_name=~\"q.*\"}[5m])))",
    "absent(nope) + count_values(\"value\", foo) + topk(3, bar) + quantile(0.5, baz)",
    "label_replace(foo, \"dst\", \"$1\", \"namespace\", \"(.*)\")",
    "-foo ^ 2 > bool 1 and (bar[5m:] offset 5m) != 0",
    "sort_desc(clamp_min(foo @ start(), 0)) * scalar(bar)",
  ])("joins, functions, nesting: %s", (query) => {
    for (const namespaces of [ONE, TWO]) {
      const out = scopeQuery(query, namespaces);
      const found = selectors(out);
      expect(found.length).toBe(selectors(query).length);
      const expected = namespaces.length === 1 ? 'namespace="acme"' : 'namespace=~"^(?:acme|acme-dev)$"';
      for (const s of found) expect(s.namespace).toEqual([expected]);
    }
  });

  it("is stable: scoping a scoped query changes nothing", () => {
    const once = scopeQuery("sum(rate(a[5m])) / sum(b)", TWO);
    expect(scopeQuery(once, TWO)).toBe(once);
  });

  it("sorts and dedupes namespaces so the cache key does not depend on their order", () => {
    expect(scopeQuery("up", ["b", "a", "b"])).toBe(scopeQuery("up", ["a", "b"]));
  });

  it("accepts a selector naming one of the tenant's namespaces", () => {
    expect(scopeQuery('up{namespace="acme-dev"}', TWO)).toBe('up{namespace="acme-dev"}');
  });
});

describe("scopeQuery refuses what could reach beyond the tenant", () => {
  it.each([
    ["another namespace", 'up{namespace="other"}', /"other", outside this tenant/],
    ["negation", 'up{namespace!="acme"}', /pattern or negation/],
    ["regex everything", 'up{namespace=~".+"}', /pattern or negation/],
    ["regex with own name", 'up{namespace=~"acme|other"}', /pattern or negation/],
    ["negative regex", 'up{namespace!~"acme"}', /pattern or negation/],
    ["own and other", 'up{namespace="acme",namespace="other"}', /outside this tenant/],
    ["other in a subquery", 'max_over_time(up{namespace="other"}[1h:])', /outside this tenant/],
    ["other on the far side of a join", 'a * on () group_left b{namespace="kube-system"}', /outside this tenant/],
    ["escaped other namespace", 'up{namespace="\\x6fther"}', /outside this tenant/],
    ["single-quoted other namespace", "up{namespace='other'}", /outside this tenant/],
    ["raw-string other namespace", "up{namespace=`other`}", /outside this tenant/],
    ["all metrics by name regex", '{__name__=~".+"}', /metric names must be given literally/],
    ["name negation", '{__name__!="x"}', /metric names must be given literally/],
    ["no metric name", '{job="x"}', /has no metric name/],
    ["label_replace onto namespace", 'label_replace(foo, "namespace", "other", "", "")', /relabelling onto the namespace/],
    ["label_replace onto escaped namespace", 'label_replace(foo, "n\\x61mespace", "other", "", "")', /relabelling onto the namespace/],
    ["label_join onto namespace", 'label_join(foo, "namespace", ",", "pod")', /relabelling onto the namespace/],
    ["label_replace with computed destination", "label_replace(foo, foo, \"x\", \"\", \"\")", /literal destination/],
    ["count_values minting namespace", 'count_values("namespace", foo)', /count_values/],
    ["comment hiding the rest", "up # {namespace=\"other\"}", /LineComment/],
    ["injection through a value", '"} or vector(1) #', /./],
    ["closing a matcher early", 'up{job="x"} or up{namespace="other"', /outside this tenant|does not parse/],
    ["unterminated string", 'up{job="x}', /./],
    ["newline inside a string", 'up{job="a\nb"}', /./],
    ["UTF-8 quoted metric name", '{"up"}', /unexpected matcher|not allowed/],
    ["UTF-8 quoted label", 'up{"namespace"="other"}', /unexpected matcher|not allowed/],
    ["info()", 'info(up, {k8s_cluster_name=~".+"})', /not allowed/],
    ["garbage", "sum(", /does not parse|not allowed/],
    ["empty", "   ", /empty/],
  ])("%s", (_name, query, message) => {
    expect(refusal(query)).toMatch(message);
  });

  it("refuses very long queries before parsing them", () => {
    expect(refusal(`${"a + ".repeat(MAX_QUERY_LENGTH / 4)}a`)).toMatch(/longer than 20,000/);
  });

  it("scopes a long but legal query completely", () => {
    const query = Array.from({ length: 150 }, (_, i) => `m${i}`).join(" + ");
    const out = scopeQuery(query, ONE);
    expect(selectors(out).every((s) => s.namespace.length === 1)).toBe(true);
    expect(selectors(out)).toHaveLength(150);
  });

  it("refuses, never half-scopes, a chain longer than the parser follows", () => {
    // lezer stops following very long left-associative chains (an error node appears mid-way in
    // the rewritten text); the re-parse of the output catches it.
    const query = Array.from({ length: 400 }, (_, i) => `m${i}`).join(" + ");
    expect(refusal(query)).toMatch(/does not parse/);
  });

  it("treats an empty or invalid namespace list as a bug, never as 'everything'", () => {
    expect(() => scopeQuery("up", [])).toThrow(/without namespaces/);
    expect(() => scopeQuery("up", ['acme"} or up{x="'])).toThrow(/not a DNS label/);
  });
});

describe("PromQL string literals", () => {
  it.each(['plain', 'quo"te', "back\\slash", "new\nline", "tab\tcr\r", "nul\u0000bell\u0007", "ünïcødé ✓ 🚀", '"} or vector(1) #', "\\\"}"])(
    "round-trips %j",
    (value) => {
      const literal = promqlString(value);
      expect(decodeStringLiteral(literal)).toBe(value);
      expect(literal).not.toMatch(/[\n\r\u0000]/);
      // The literal parses as one string token with nothing after it.
      const tree = parser.parse(`foo{a=${literal}}`);
      let errors = 0;
      tree.iterate({ enter: (n) => void (n.type.isError && errors++) });
      expect(errors).toBe(0);
    },
  );

  it("refuses lone surrogates", () => {
    expect(() => promqlString("a\uD800b")).toThrow(MetricsParamError);
  });

  it.each(['"a\\qb"', '"a', '"a"b"', "'a\"", '"\\x4"', '"\\400"', '"\\uD800"', "`a`b`"])("rejects malformed %s", (raw) => {
    expect(decodeStringLiteral(raw)).toBeUndefined();
  });

  it("decodes the escapes Prometheus knows", () => {
    expect(decodeStringLiteral('"\\x41\\101\\u0041\\U00000041\\n\\""')).toBe('AAAA\n"');
    expect(decodeStringLiteral("'it\\'s'")).toBe("it's");
    expect(decodeStringLiteral("`raw\\n`")).toBe("raw\\n");
  });
});

describe("validateParams", () => {
  it.each(["Qwen/Qwen2.5-0.5B-Instruct", "meta-llama/Llama-3.1-8B-Instruct", "acme/sql-lora:v2"])("accepts model %s", (model) => {
    expect(validateParams({ model }).model).toBe(model);
  });

  it.each([
    ["model", '"} or vector(1) #'],
    ["model", "a\nb"],
    ["model", "a\\b"],
    ["model", "ünï"],
    ["model", "x".repeat(201)],
    ["model", ""],
    ["namespace", "Acme"],
    ["namespace", "acme.dev"],
    ["namespace", '-acme'],
    ["namespace", "a".repeat(64)],
    ["deployment", 'qwen"}'],
    ["deployment", "qwen_1"],
  ])("refuses %s %j with a field error", (field, value) => {
    try {
      validateParams({ [field]: value });
      throw new Error("accepted");
    } catch (error) {
      expect(error).toBeInstanceOf(MetricsParamError);
      expect((error as MetricsParamError).field).toBe(field);
    }
  });

  it("bounds SLO thresholds", () => {
    expect(() => validateParams({ ttftSloMs: 0 })).toThrow(MetricsParamError);
    expect(() => validateParams({ ttftSloMs: 1.5 })).toThrow(MetricsParamError);
    expect(validateParams({ ttftSloMs: 300, itlSloMs: 40 })).toEqual({ ttftSloMs: 300, itlSloMs: 40 });
  });
});
