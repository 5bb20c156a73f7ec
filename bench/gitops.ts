/**
 * `npm run bench:gitops`: submit → PR open latency (50 requests, one at a time), the approvals
 * page with 500 open requests (20 concurrent viewers), and rendering all templates for 1,000
 * tenants. Runs against the built portal + sandbox on ports shifted by E2E_PORT_OFFSET (default
 * 20) so it can run beside a test run. Prints figures; asserts nothing.
 */
export {};
process.env.E2E_PORT_OFFSET ??= "20";
const { E2E } = await import("../e2e/env");
const { DEMO_USERS } = await import("../sandbox/demo-users");
const { signInSession } = await import("./oidc-session");
const { startStack, summary } = await import("./stack");
const { renderRequest } = await import("../lib/gitops/render");

const PORTAL = E2E.portalUrl;
const user = (email: string) => DEMO_USERS.find((u) => u.email === email)!;

function renderThousandTenants(): number {
  const onboarding = (i: number) => ({
    kind: "tenant-onboarding",
    tenant: `tenant-${i}`,
    displayName: `Tenant ${i}`,
    adminGroups: [`t${i}-admins`],
    memberGroups: [`t${i}-devs`],
    quota: { gpuType: "L4", gpus: 4, cpu: 32, memoryGi: 128 },
    allowedRegistries: ["ghcr.io"],
    litellm: { models: ["qwen2.5-0.5b-instruct"], monthlyBudget: 100, softBudgetThresholds: [80, 100] },
  });
  renderRequest(onboarding(0) as never, {}, { "argocd/applicationset.yaml": "present" }); // templates loaded and compiled once
  const started = performance.now();
  let files = 0;
  for (let i = 0; i < 1000; i++) files += renderRequest(onboarding(i) as never, {}, { "argocd/applicationset.yaml": "present" }).length;
  const ms = performance.now() - started;
  console.log(`Render onboarding of 1,000 tenants: ${ms.toFixed(0)} ms (${files} files, ${(ms / 1000).toFixed(2)} ms per tenant)`);
  return ms;
}

renderThousandTenants();

const stack = await startStack();
try {
  const admin = await signInSession(PORTAL, "admin@acme.example", user("admin@acme.example").password);
  const platform = await signInSession(PORTAL, "platform@example.com", user("platform@example.com").password);
  const post = (cookie: string, body: unknown) =>
    fetch(`${PORTAL}/api/requests`, { method: "POST", headers: { cookie, "content-type": "application/json", origin: PORTAL }, body: JSON.stringify(body) });
  const status = async (cookie: string, id: string) => ((await (await fetch(`${PORTAL}/api/requests/${id}`, { headers: { cookie } })).json()) as { request: { status: string } }).request.status;
  const access = (i: number) => ({ kind: "model-access", tenant: "acme", models: i % 2 ? ["qwen2.5-0.5b-instruct"] : ["qwen2.5-0.5b-instruct", "llama-3.1-8b-instruct"] });

  const latencies: number[] = [];
  const accepted: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    const res = await post(admin, access(i));
    if (res.status !== 201) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
    const { request } = (await res.json()) as { request: { id: string } };
    accepted.push(performance.now() - t0);
    while ((await status(admin, request.id)) !== "submitted") await new Promise((r) => setTimeout(r, 10));
    latencies.push(performance.now() - t0);
  }
  console.log(`\nPortal ${PORTAL} (standalone build) against the sandbox GitHub (real git repository)`);
  console.log(summary("submit accepted (HTTP 201)", accepted));
  console.log(summary("submit → PR open", latencies));

  // Fill the queue to 500 open requests, ten submissions at a time.
  const ids: string[] = [];
  for (let batch = 0; batch < 45; batch++) {
    const created = await Promise.all(Array.from({ length: 10 }, (_, i) => post(admin, access(batch * 10 + i)).then((r) => r.json() as Promise<{ request: { id: string } }>)));
    ids.push(...created.map((c) => c.request.id));
  }
  const fillStarted = performance.now();
  for (const id of ids) while ((await status(admin, id)) !== "submitted") await new Promise((r) => setTimeout(r, 50));
  console.log(`queued 450 more requests; all PRs open ${((performance.now() - fillStarted) / 1000).toFixed(1)} s after the last submission`);

  const open = ((await (await fetch(`${PORTAL}/api/approvals`, { headers: { cookie: platform } })).json()) as { total: number }).total;
  for (const [name, url] of [["approvals page", `${PORTAL}/approvals`], ["approvals API", `${PORTAL}/api/approvals`]] as const) {
    await fetch(url, { headers: { cookie: platform } }).then((r) => r.arrayBuffer()); // warm-up
    const samples: number[] = [];
    let bytes = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          const res = await fetch(url, { headers: { cookie: platform } });
          bytes = (await res.arrayBuffer()).byteLength;
          samples.push(performance.now() - t0);
        }
      }),
    );
    console.log(summary(`${name}, ${open} open, 20 users`, samples, ` ${(bytes / 1024).toFixed(0)} KB`));
  }
} finally {
  stack.kill("SIGTERM");
}
