/** Ready-to-paste snippets for a fresh key. The secret goes only to the browser that asked. */
export type Snippet = { id: string; title: string; language: string; code: string };

// Model ids and keys are validated to [A-Za-z0-9._-/] elsewhere; JSON.stringify still quotes
// them so a surprising value cannot break out of a string in any of the languages below.
export function keySnippets(baseUrl: string, secret: string, model: string): Snippet[] {
  const v1 = `${baseUrl}/v1`;
  const m = JSON.stringify(model);
  return [
    {
      id: "curl",
      title: "curl",
      language: "bash",
      code: [
        `curl ${v1}/chat/completions \\`,
        `  -H "Authorization: Bearer ${secret}" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '{"model": ${m}, "messages": [{"role": "user", "content": "Hello!"}]}'`,
      ].join("\n"),
    },
    {
      id: "python",
      title: "Python (openai)",
      language: "python",
      code: [
        "from openai import OpenAI",
        "",
        `client = OpenAI(base_url=${JSON.stringify(v1)}, api_key=${JSON.stringify(secret)})`,
        "response = client.chat.completions.create(",
        `    model=${m},`,
        '    messages=[{"role": "user", "content": "Hello!"}],',
        ")",
        "print(response.choices[0].message.content)",
      ].join("\n"),
    },
    {
      id: "javascript",
      title: "JavaScript (openai)",
      language: "javascript",
      code: [
        'import OpenAI from "openai";',
        "",
        `const client = new OpenAI({ baseURL: ${JSON.stringify(v1)}, apiKey: ${JSON.stringify(secret)} });`,
        "const response = await client.chat.completions.create({",
        `  model: ${m},`,
        '  messages: [{ role: "user", content: "Hello!" }],',
        "});",
        "console.log(response.choices[0].message.content);",
      ].join("\n"),
    },
    {
      id: "env",
      title: "Environment",
      language: "bash",
      code: [`export OPENAI_BASE_URL=${v1}`, `export OPENAI_API_KEY=${secret}`, `export OPENAI_MODEL=${model}`].join("\n"),
    },
  ];
}
