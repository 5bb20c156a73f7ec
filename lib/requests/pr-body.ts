import { formatCents } from "@/lib/money/cents";

export type ChangeSummary = {
  title: string;
  summaryRows: [string, string][];
  checklist: string[];
  costDeltaCents?: number | null;
};

// Table cells are user-influenced (display names, groups); pipes and newlines would break the
// table, and HTML would render on GitHub.
function cell(value: string): string {
  return value.replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The pull request description: who asked for what, what it costs, what to check, where to look. */
export function pullRequestBody(input: {
  requestNumber: number;
  tenantId: string;
  requester: string;
  kind: string;
  summary: ChangeSummary;
  portalUrl: string;
  requestPath: string;
  files: { path: string; content: string | null }[];
}): string {
  const rows: [string, string][] = [
    ["Request", `#${input.requestNumber} (${input.kind})`],
    ["Tenant", input.tenantId],
    ["Requested by", input.requester],
    ...input.summary.summaryRows,
  ];
  if (input.summary.costDeltaCents !== undefined && input.summary.costDeltaCents !== null) {
    const delta = input.summary.costDeltaCents;
    rows.push(["Cost delta (per month, max replicas)", `${delta >= 0 ? "+" : "−"}${formatCents(Math.abs(delta))}`]);
  }
  return [
    `Opened by Inference Portal for request #${input.requestNumber}. Review and approve it in the portal: ${input.portalUrl}${input.requestPath}`,
    "",
    "| | |",
    "| --- | --- |",
    ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
    "",
    "### Files",
    ...input.files.map((f) => `- \`${f.path}\`${f.content === null ? " (removed)" : ""}`),
    "",
    "### Checklist",
    ...input.summary.checklist.map((item) => `- [ ] ${cell(item)}`),
    "",
    "<!-- inference-portal:request -->",
  ].join("\n");
}
