import { spawnSync } from "node:child_process";

/**
 * `promtool check metrics` over an exposition. Exit 1 is a parse error; exit 3 lists lint
 * findings, returned one per line so a test can allow the ones upstream itself has (dcgm-exporter's
 * counters lack `_total`, its `UUID`/`modelName` labels are not snake_case).
 */
export function promtoolCheckMetrics(text: string): { parseError: boolean; findings: string[]; output: string } {
  const run = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
  return { parseError: run.status !== 0 && run.status !== 3, findings: output.split("\n").map((l) => l.trim()).filter(Boolean), output };
}
