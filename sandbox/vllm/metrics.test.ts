import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ModelServer } from "./model-server";
import { profileFor } from "./profiles";
import { buckets125, pyFloat } from "./prom-text";
import { createReplicaServer } from "./replica-server";

const REFERENCE = path.resolve(import.meta.dirname, "../../../shared/reference/metrics");
const QWEN = "Qwen/Qwen2.5-0.5B-Instruct";

/** The reference table: `name | type | labels | buckets | help`. */
function referenceTable() {
  const text = readFileSync(path.join(REFERENCE, "vllm-metrics.txt"), "utf8");
  const rows = new Map<string, { type: string; labels: string[]; buckets: string; help: string }>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.includes(" | ")) continue;
    const [name, type, labels, buckets, help] = line.split(" | ").map((c) => c.trim());
    rows.set(name!, {
      type: type!.split(" ")[0]!,
      // Parenthesised notes list label values, not labels: "reason (capacity|deferred)".
      labels: labels!.replace(/\([^)]*\)/g, "").split(",").map((l) => l.trim()).filter(Boolean),
      buckets: buckets!,
      help: help!.split("   (")[0]!.trim(),
    });
  }
  // Bucket sets named in the header comments, e.g. "#  TTFT_BUCKETS    = 0.001,0.005,...".
  const sets = new Map<string, number[]>();
  for (const m of text.matchAll(/^#\s+([A-Z_]+_BUCKETS)\s+=\s+([\d.,]+)$/gm)) sets.set(m[1]!, m[2]!.split(",").map(Number));
  return { rows, sets };
}

/** The v0.26.0 capture: `name type` per family. */
function capturedFamilies(): Map<string, string> {
  const text = readFileSync(path.join(REFERENCE, "vllm-metric-families.v0.26.0.txt"), "utf8");
  return new Map(text.split("\n").filter((l) => l.startsWith("vllm:")).map((l) => l.split(" ") as [string, string]));
}

interface Family {
  type: string;
  help: string;
  samples: Array<{ name: string; labels: Record<string, string>; value: number }>;
}

/** A strict-enough parser of the text format: every sample must belong to a declared family. */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: string | undefined;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      const family = families.get(name!) ?? { type: "", help: "", samples: [] };
      if (kind === "HELP") family.help = rest!;
      else family.type = rest!;
      families.set(name!, family);
      current = name;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`Unparseable line: ${line}`);
    const [, name, labelText, value] = sample;
    expect(name!.startsWith(current!), `${name} outside its family ${current}`).toBe(true);
    const labels = Object.fromEntries([...(labelText ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    families.get(current!)!.samples.push({ name: name!, labels, value: Number(value === "+Inf" ? Infinity : value) });
  }
  return families;
}

async function servedMetrics(server: ModelServer): Promise<{ text: string; contentType: string | null }> {
  const http = createReplicaServer(server);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const chat = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: QWEN, messages: [{ role: "user", content: "Hello there" }], max_tokens: 12, ignore_eos: true }),
    });
    expect(chat.status).toBe(200);
    await chat.json();
    const res = await fetch(`${url}/metrics`);
    return { text: await res.text(), contentType: res.headers.get("content-type") };
  } finally {
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
}

describe("vLLM /metrics exposition", () => {
  it("exposes exactly the families of a real v0.26.0 server, with their types, HELP, labels and buckets", async () => {
    const server = new ModelServer({ servedModelName: QWEN, maxModelLen: 32768, profile: profileFor(QWEN, "L4", 1) });
    const { text, contentType } = await servedMetrics(server);
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    const families = parseExposition(text);
    const captured = capturedFamilies();
    const { rows, sets } = referenceTable();
    expect([...families.keys()].sort()).toEqual([...captured.keys()].sort());

    for (const [name, family] of families) {
      expect(family.type, name).toBe(captured.get(name));
      const row = rows.get(name);
      expect(row, `${name} in vllm-metrics.txt`).toBeDefined();
      expect(family.type, name).toBe(row!.type);
      if (!row!.help.startsWith("(")) expect(family.help, name).toBe(row!.help);
      expect(family.samples.length, name).toBeGreaterThan(0);
      for (const s of family.samples) {
        const labels = Object.keys(s.labels).filter((l) => l !== "le");
        if (name === "vllm:cache_config_info") {
          // One label per CacheConfig field, plus the engine index; no model_name.
          expect(labels).toEqual(expect.arrayContaining(["engine", "block_size", "num_gpu_blocks", "gpu_memory_utilization", "enable_prefix_caching", "cache_dtype"]));
          expect(labels).not.toContain("model_name");
          expect(s.value).toBe(1);
        } else {
          expect(labels.sort(), name).toEqual([...row!.labels].sort());
          expect(s.labels.model_name).toBe(QWEN);
          expect(s.labels.engine).toBe("0");
        }
        expect(Object.keys(s.labels)).not.toContain("pod");
      }
      if (family.type === "histogram") {
        const bounds = family.samples.filter((s) => s.name === `${name}_bucket`).map((s) => s.labels.le!);
        const expected = row!.buckets.startsWith("build_1_2_5_buckets") ? buckets125(32768) : (sets.get(row!.buckets) ?? row!.buckets.split(",").map(Number));
        expect(bounds, name).toEqual([...expected.map(pyFloat), "+Inf"]);
        // Cumulative buckets end at _count.
        const count = family.samples.find((s) => s.name === `${name}_count`)!.value;
        const values = family.samples.filter((s) => s.name === `${name}_bucket`).map((s) => s.value);
        expect(values.at(-1)).toBe(count);
        expect(values).toEqual([...values].sort((a, b) => a - b));
      }
      if (family.type === "counter") expect(name.endsWith("_total")).toBe(true);
    }

    // The request shows up in the counts vLLM would report.
    const value = (name: string, labels: Record<string, string> = {}) =>
      [...families.values()].flatMap((f) => f.samples).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))!.value;
    expect(value("vllm:generation_tokens_total")).toBe(12);
    expect(value("vllm:request_success_total", { finished_reason: "length" })).toBe(1);
    expect(value("vllm:prompt_tokens_total")).toBe(2 + 4 + 2);
    expect(value("vllm:time_to_first_token_seconds_count")).toBe(1);
    expect(value("vllm:inter_token_latency_seconds_count")).toBe(11);
    expect(value("vllm:num_requests_running")).toBe(0);
  });

  it("passes promtool check metrics", async () => {
    const server = new ModelServer({ servedModelName: QWEN, maxModelLen: 32768, profile: profileFor(QWEN, "L4", 1) });
    const { text } = await servedMetrics(server);
    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    // promtool exits 3 for lint findings and 1 for errors. The only findings allowed are the two
    // that vLLM's real names carry: the `vllm:` prefix and the histogram `iteration_tokens_total`.
    expect(check.error).toBeUndefined();
    expect([0, 3]).toContain(check.status);
    const findings = `${check.stdout}${check.stderr}`.split("\n").filter(Boolean);
    const inherent = /^(vllm:\S+ metric names should not contain ':'|vllm:iteration_tokens_total non-counter metrics should not have "_total" suffix)$/;
    expect(findings.filter((f) => !inherent.test(f))).toEqual([]);
    // A broken exposition is caught: promtool is not waving everything through.
    const broken = spawnSync("promtool", ["check", "metrics"], { input: `${text}vllm:num_requests_running{model_name="x" 1\n`, encoding: "utf8" });
    expect(broken.status).toBe(1);
  });

  it("escapes hostile model names in label values", () => {
    const evil = 'evil"} 1\nvllm:injected 666\n#';
    const text = new ModelServer({ servedModelName: evil, maxModelLen: 4096, tokenDelayMs: 0 }).metricsText();
    const families = parseExposition(text);
    expect(families.has("vllm:injected")).toBe(false);
    expect(families.get("vllm:num_requests_running")!.samples[0]!.labels.model_name).toBe('evil\\"} 1\\nvllm:injected 666\\n#');
  });
});
