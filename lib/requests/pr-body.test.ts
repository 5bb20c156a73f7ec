import { describe, expect, it } from "vitest";
import { pullRequestBody, type ChangeSummary } from "./pr-body";

const HOSTILE_NAME = "Evil | Corp\n| injected | row |\r\n<script>alert(1)</script>";
const HOSTILE_GROUP = "admins|<img src=x onerror=alert(1)>\n\n## Heading";
const BACKSLASH_PIPE = "ends in a backslash \\| then a pipe";

function body(summary: Partial<ChangeSummary> = {}, requester = "dev@example.test") {
  return pullRequestBody({
    requestNumber: 42,
    tenantId: "acme",
    requester,
    kind: "tenant-onboarding",
    summary: { title: "Onboard", summaryRows: [], checklist: [], ...summary },
    portalUrl: "https://portal.example.test",
    requestPath: "/requests/0c4f",
    files: [
      { path: "tenants/acme/namespace.yaml", content: "kind: Namespace" },
      { path: "tenants/acme/old.yaml", content: null },
    ],
  });
}

/** The summary table as GitHub's table extension sees it: lines up to the first blank one, split on unescaped pipes. */
function table(markdown: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.indexOf("| | |");
  expect(start).toBeGreaterThan(-1);
  const end = lines.indexOf("", start);
  return lines.slice(start, end).map((line) => {
    const parts = line.split(/(?<!\\)\|/);
    // A row is "| a | b |": empty text before the first and after the last pipe.
    expect(parts[0]).toBe("");
    expect(parts.at(-1)).toBe("");
    return parts.slice(1, -1).map((cell) => cell.trim());
  });
}

// What the reader sees in a cell: escaped pipes and entities shown as the characters they stand for.
const shown = (cell: string) => cell.replace(/\\\|/g, "|").replace(/&lt;/g, "<").replace(/&gt;/g, ">");

describe("pullRequestBody", () => {
  it("lays out the summary table, files and checklist", () => {
    const rows = table(body({ summaryRows: [["Display name", "Acme"]], checklist: ["Check quota"], costDeltaCents: -1250 }));
    expect(rows).toEqual([
      ["", ""],
      ["---", "---"],
      ["Request", "#42 (tenant-onboarding)"],
      ["Tenant", "acme"],
      ["Requested by", "dev@example.test"],
      ["Display name", "Acme"],
      ["Cost delta (per month, max replicas)", "−$12.50"],
    ]);
    const text = body({ checklist: ["Check quota"] });
    expect(text).toContain("- `tenants/acme/namespace.yaml`\n- `tenants/acme/old.yaml` (removed)");
    expect(text).toContain("### Checklist\n- [ ] Check quota\n");
    expect(text).toContain("https://portal.example.test/requests/0c4f");
  });

  it("hostile display names and groups stay inside their own cell, one row each", () => {
    const markdown = body({ summaryRows: [["Display name", HOSTILE_NAME], ["Admin groups", HOSTILE_GROUP], [HOSTILE_NAME, "key is hostile too"], ["Escapes", BACKSLASH_PIPE]] }, "x|y@example.test");
    const rows = table(markdown);
    // header + delimiter + 3 fixed rows + 4 summary rows, each exactly two cells
    expect(rows).toHaveLength(9);
    for (const row of rows) expect(row).toHaveLength(2);
    expect(rows.slice(2).map(([k, v]) => [shown(k!), shown(v!)])).toEqual([
      ["Request", "#42 (tenant-onboarding)"],
      ["Tenant", "acme"],
      ["Requested by", "x|y@example.test"],
      ["Display name", "Evil | Corp | injected | row | <script>alert(1)</script>"],
      ["Admin groups", "admins|<img src=x onerror=alert(1)> ## Heading"],
      ["Evil | Corp | injected | row | <script>alert(1)</script>", "key is hostile too"],
      ["Escapes", "ends in a backslash \\| then a pipe"],
    ]);
  });

  it("no HTML tag reaches the body; the only markup is the portal's marker comment", () => {
    const markdown = body({ summaryRows: [["Display name", HOSTILE_NAME], ["Groups", HOSTILE_GROUP]], checklist: [HOSTILE_NAME] });
    expect(markdown).not.toMatch(/<script/i);
    expect(markdown).not.toMatch(/<img/i);
    const withAngle = markdown.split("\n").filter((line) => /[<>]/.test(line));
    expect(withAngle).toEqual(["<!-- inference-portal:request -->"]);
  });

  it("a hostile checklist item stays one unchecked item and cannot add headings or rows", () => {
    const markdown = body({ checklist: ["first", `${HOSTILE_GROUP}\r\n- [x] pre-ticked`] });
    const lines = markdown.split("\n");
    const from = lines.indexOf("### Checklist");
    const items = lines.slice(from + 1, lines.indexOf("", from));
    expect(items).toEqual(["- [ ] first", "- [ ] admins\\|&lt;img src=x onerror=alert(1)&gt; ## Heading - [x] pre-ticked"]);
    expect(lines.filter((l) => l.startsWith("#"))).toEqual(["### Files", "### Checklist"]);
  });

  it("shows a cost increase with a plus sign and omits the row when there is no estimate", () => {
    expect(table(body({ costDeltaCents: 99_900 })).at(-1)).toEqual(["Cost delta (per month, max replicas)", "+$999.00"]);
    expect(table(body({ costDeltaCents: null })).map(([k]) => k)).not.toContain("Cost delta (per month, max replicas)");
    expect(table(body({})).map(([k]) => k)).not.toContain("Cost delta (per month, max replicas)");
  });
});
