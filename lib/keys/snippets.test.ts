import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newKeySecret } from "./secret";
import { keySnippets } from "./snippets";

const BASE = "https://llm.example.com";
const { secret } = newKeySecret();
const MODEL = "llama-3.1-8b-instruct";
const snippets = keySnippets(BASE, secret, MODEL);
const byId = (id: string) => {
  const snippet = snippets.find((s) => s.id === id);
  if (!snippet) throw new Error(`no ${id} snippet`);
  return snippet.code;
};

const hasPython = spawnSync("python3", ["--version"]).status === 0;

const dir = mkdtempSync(path.join(tmpdir(), "snippets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("keySnippets", () => {
  it("offers curl, Python, JavaScript and env snippets", () => {
    expect(snippets.map((s) => s.id).sort()).toEqual(["curl", "env", "javascript", "python"]);
  });

  it.each(snippets.map((s) => [s.id, s.code] as const))("%s contains the /v1 base URL, the secret and the model", (_id, code) => {
    expect(code).toContain(`${BASE}/v1`);
    expect(code).toContain(secret);
    expect(code).toContain(MODEL);
  });

  it("curl is valid bash", () => {
    const result = spawnSync("bash", ["-n", "-c", byId("curl")], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("curl sends the key as a bearer token to the chat completions endpoint", () => {
    const code = byId("curl");
    expect(code).toContain(`curl ${BASE}/v1/chat/completions`);
    expect(code).toContain(`Authorization: Bearer ${secret}`);
  });

  it("curl's request body is JSON naming the model", () => {
    // Evaluate the -d argument the way bash would, then parse it.
    const body = execFileSync("bash", ["-c", `set -- ${byId("curl").split("-d ")[1]}; printf %s "$1"`], { encoding: "utf8" });
    expect(JSON.parse(body)).toMatchObject({ model: MODEL, messages: [{ role: "user" }] });
  });

  it("the env snippet exports the OpenAI variables, as a child process sees them", () => {
    const code = byId("env");
    expect(spawnSync("bash", ["-n", "-c", code]).status).toBe(0);
    // printenv runs as a child process, so it only sees variables that were really exported.
    const script = ["unset OPENAI_BASE_URL OPENAI_API_KEY OPENAI_MODEL", code, "printenv OPENAI_BASE_URL OPENAI_API_KEY OPENAI_MODEL"];
    const printed = execFileSync("bash", ["-c", script.join("\n")], { encoding: "utf8" });
    expect(printed.split("\n").slice(0, 3)).toEqual([`${BASE}/v1`, secret, MODEL]);
  });

  it("the JavaScript snippet is a valid ES module", () => {
    const file = path.join(dir, "snippet.mjs");
    writeFileSync(file, byId("javascript"));
    const result = spawnSync(process.execPath, ["--check", file], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("a broken JavaScript snippet would be caught by the check", () => {
    const file = path.join(dir, "broken.mjs");
    writeFileSync(file, byId("javascript").replace("});", "}"));
    expect(spawnSync(process.execPath, ["--check", file]).status).not.toBe(0);
  });

  it("the Python snippet passes the base URL and key as string literals", () => {
    const code = byId("python");
    expect(code).toContain(`base_url=${JSON.stringify(`${BASE}/v1`)}`);
    expect(code).toContain(`api_key=${JSON.stringify(secret)}`);
    expect(code).toContain(`model=${JSON.stringify(MODEL)}`);
  });

  it.skipIf(!hasPython)("the Python snippet parses", () => {
    const file = path.join(dir, "snippet.py");
    writeFileSync(file, byId("python"));
    const result = spawnSync("python3", ["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", file], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
