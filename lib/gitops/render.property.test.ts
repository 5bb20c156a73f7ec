import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { AppError } from "@/lib/http/errors";
import { renderRequest } from "./render";
import { gitopsRequest, type GitopsRequestInput } from "./requests";
import { compileTemplate, renderTemplate, serializeYaml } from "./template-engine";
import { loadTemplate } from "./templates";
import { ACME_ONBOARDING, asRepo, VLLM_QWEN } from "./testing/cases";
import { validateManifest } from "./testing/schema-validator";

// The safety property: a hostile string can never add keys, documents or objects. It lands,
// verbatim and as one string, exactly where the template placed it, and nowhere else.

const NASTY = [
  "\n", "\r\n", ": ", "---", "...", "{{ .Values.x }}", "{{path.basename}}", "${tenant}", "${int:gpus}", "${strings:models}",
  "'", '"', "#", " # comment", "&anchor", "*alias", "!!python/object:os.system", "!ruby/object", "- ", "? ", "|", ">-",
  "%YAML 1.1", "\t", "\\", "`", "@", "%", "[", "]", "{", "}", ",", "<<: *x", "~", "null", "true", "no", "on", "0x1F", "1e3",
  "12:30", "é", "日本語", "🦙", "\u200b", "\ufeff", "\u2028", "\u0085", "\u0000", "apiVersion: v1\nkind: Secret",
];

/** Strings built from YAML's special characters and arbitrary unicode. */
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: "grapheme", maxLength: 6 })), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(""));

const SINGLE_LINE_OK = /^[^\p{Cc}\p{Zl}\p{Zp}]+$/u;
/** Hostile strings the one-line schemas (display name, group names) let through. */
const hostileLine = (max: number) =>
  hostile.map((s) => truncate(s.trim(), max).trim()).filter((s) => s.length > 0 && SINGLE_LINE_OK.test(s));

/** At most `max` UTF-16 units (what the schema counts), never splitting a surrogate pair. */
function truncate(s: string, max: number): string {
  let out = "";
  for (const ch of s) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

function parseFiles(files: { path: string; content: string }[]) {
  return files.map((file) => {
    const docs = parseAllDocuments(file.content, { version: "1.1", uniqueKeys: true });
    const list = Array.isArray(docs) ? docs : [docs];
    for (const doc of list) expect(doc.errors, file.path).toEqual([]);
    return { path: file.path, docs: list.map((d) => d.toJS({ maxAliasCount: 0 })) };
  });
}

/** `tree` with every string equal to a key of `swap` replaced by its value. */
function replaceStrings(tree: unknown, swap: Map<string, string>): unknown {
  if (typeof tree === "string") return swap.get(tree) ?? tree;
  if (Array.isArray(tree)) return tree.map((v) => replaceStrings(v, swap));
  if (tree !== null && typeof tree === "object") {
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [swap.get(k) ?? k, replaceStrings(v, swap)]));
  }
  return tree;
}

/** Label values (the cost center) that YAML 1.1 or 1.2 would read as something else if unquoted. */
const trickyLabelValue = fc.oneof(
  fc.constantFrom("no", "on", "Off", "y", "true", "null", "012", "0o17", "1e3", "0x1F", "1_000", "12.30", "1.0"),
  fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/),
);

describe("hostile free text in onboarding", () => {
  it("lands verbatim where the template puts it, and changes nothing else", () => {
    fc.assert(
      fc.property(
        hostileLine(100),
        trickyLabelValue,
        fc.uniqueArray(hostileLine(256), { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(hostileLine(256), { minLength: 1, maxLength: 3 }),
        (displayName, costCenter, adminGroups, memberCandidates) => {
          const memberGroups = memberCandidates.filter((g) => !adminGroups.includes(g));
          fc.pre(memberGroups.length > 0);
          // The same request with inert markers in place of the hostile values.
          const markers = new Map<string, string>([["Marker Display Name", displayName], ["marker-cost-center", costCenter]]);
          adminGroups.forEach((g, i) => markers.set(`marker-admin-${i}`, g));
          memberGroups.forEach((g, i) => markers.set(`marker-member-${i}`, g));
          const benign = renderRequest({
            ...ACME_ONBOARDING,
            displayName: "Marker Display Name",
            costCenter: "marker-cost-center",
            adminGroups: adminGroups.map((_, i) => `marker-admin-${i}`),
            memberGroups: memberGroups.map((_, i) => `marker-member-${i}`),
          });
          const nasty = renderRequest({ ...ACME_ONBOARDING, displayName, costCenter, adminGroups, memberGroups });

          // Same files, one document each, and exactly the benign objects with the markers
          // swapped for the hostile values: no extra key, item, document or object anywhere.
          expect(nasty.map((f) => f.path)).toEqual(benign.map((f) => f.path));
          const expected = parseFiles(benign).map((f) => ({ ...f, docs: f.docs.map((d) => replaceStrings(d, markers)) }));
          const actual = parseFiles(nasty);
          for (const file of actual) expect(file.docs).toHaveLength(1);
          expect(actual).toEqual(expected);
          // ...and still valid objects (annotations and RBAC subject names take any string).
          for (const file of nasty) expect(validateManifest(file.content).errors, file.path).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it("survives a round trip through the team file (model access rewrites it)", () => {
    fc.assert(
      fc.property(hostileLine(100), (displayName) => {
        const base = asRepo(renderRequest({ ...ACME_ONBOARDING, displayName }));
        const [team] = renderRequest({ kind: "model-access", tenant: "acme", models: ["llama-3.1-8b-instruct"] }, undefined, base);
        const [doc] = parseFiles([team!])[0]!.docs as { spec: { team_alias: string; models: string[] } }[];
        expect(doc!.spec.team_alias).toBe(displayName);
        expect(doc!.spec.models).toEqual(["llama-3.1-8b-instruct"]);
      }),
      { numRuns: 40 },
    );
  });

  it("the one-line schemas refuse what they do not let through, with a field error", () => {
    fc.assert(
      fc.property(hostile.filter((s) => /[\p{Cc}\p{Zl}\p{Zp}]/u.test(s.trim())), (value) => {
        for (const field of ["displayName", "adminGroups"] as const) {
          const request = { ...ACME_ONBOARDING, [field]: field === "adminGroups" ? [value] : value };
          const result = gitopsRequest.safeParse(request);
          expect(result.success).toBe(false);
          const paths = result.error!.issues.map((i) => i.path.join("."));
          expect(paths.every((p) => p.startsWith(field))).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("the template engine, without any schema in front of it", () => {
  it("keeps any string (newlines and NUL included) one scalar", () => {
    const template = loadTemplate("tenant/namespace.yaml");
    fc.assert(
      fc.property(hostile, hostile, (displayName, gpuType) => {
        const values = { tenant: "acme", displayName, costCenter: "cc", gpuType };
        const out = serializeYaml(renderTemplate(template, values));
        const docs = parseAllDocuments(out, { version: "1.1" });
        const list = Array.isArray(docs) ? docs : [docs];
        expect(list).toHaveLength(1);
        const ns = list[0]!.toJS({ maxAliasCount: 0 });
        expect(Object.keys(ns)).toEqual(["apiVersion", "kind", "metadata"]);
        expect(Object.keys(ns.metadata.annotations)).toEqual([
          "portal.inference-platform.io/display-name",
          "portal.inference-platform.io/quota-gpu-type",
        ]);
        expect(ns.metadata.annotations["portal.inference-platform.io/display-name"]).toBe(displayName);
        expect(ns.metadata.annotations["portal.inference-platform.io/quota-gpu-type"]).toBe(gpuType);
        // YAML 1.2 readers see the same data.
        expect(parseAllDocuments(out, { version: "1.2" }).length).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it("does not expand placeholders inside values (single pass)", () => {
    const t = compileTemplate("t.yaml", "a: ${x}-${y}\nb: ${int:n}\n");
    expect(renderTemplate(t, { x: "${y}", y: "${int:n}", n: 1 })).toEqual({ a: "${y}-${int:n}", b: 1 });
  });
});

describe("DNS-label fields", () => {
  const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  const notALabel = fc.oneof(hostile, fc.string({ maxLength: 70 })).filter((s) => !DNS_LABEL.test(s) || s.length > 40);

  const cases: [string, (v: string) => GitopsRequestInput, string][] = [
    ["tenant (onboarding)", (v) => ({ ...ACME_ONBOARDING, tenant: v }), "tenant"],
    ["tenant (deployment)", (v) => ({ ...VLLM_QWEN, tenant: v }), "tenant"],
    ["deployment name", (v) => ({ ...VLLM_QWEN, name: v }), "name"],
    ["tenant (model access)", (v) => ({ kind: "model-access", tenant: v, models: ["qwen2.5-0.5b-instruct"] }), "tenant"],
  ];

  it.each(cases)("%s: hostile values are refused with a field error", (_label, build, field) => {
    fc.assert(
      fc.property(notALabel.filter((s) => field === "name" || !DNS_LABEL.test(s) || s.length > 63), (value) => {
        const result = gitopsRequest.safeParse(build(value));
        expect(result.success).toBe(false);
        expect(result.error!.issues.map((i) => i.path.join("."))).toContain(field);
        let thrown: unknown;
        try {
          renderRequest(build(value));
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(AppError);
        expect((thrown as AppError).code).toBe("validation");
        expect(Object.keys((thrown as AppError).fields ?? {})).toContain(field);
      }),
      { numRuns: 80 },
    );
  });
});
