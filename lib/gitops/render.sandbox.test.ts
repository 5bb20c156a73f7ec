import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validateObject as sandboxValidate } from "@/sandbox/cluster/validate";
import { renderRequest } from "./render";
import { GOLDEN_CASES, renderCase, VLLM_QWEN } from "./testing/cases";

// Cross-check with the sandbox's API-server stand-in, which applies what the portal merges: what
// we render must be accepted there too (dry-run semantics, kubectl-style messages).
describe("rendered objects in the sandbox API server's validation", { timeout: 60_000 }, () => {
  const files = [
    ...GOLDEN_CASES.flatMap(renderCase),
    ...renderRequest({ ...VLLM_QWEN, name: "pd", servingLayer: "llm-d", priority: undefined }),
    ...renderRequest({ ...VLLM_QWEN, name: "ks", servingLayer: "kserve", minReplicas: 2 }),
  ].filter((f) => f.path.startsWith("tenants/") || f.path.startsWith("argocd/"));

  it.each(files.map((f) => [f.path, f] as const))("%s", (_path, file) => {
    const result = sandboxValidate(parse(file.content));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});
