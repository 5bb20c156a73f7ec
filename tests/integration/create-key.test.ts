import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/errors";
import { IntegrationError } from "@/lib/integrations/http";
import { createKey } from "@/lib/keys/create-key";
import { hashKey } from "@/lib/keys/secret";
import { testDatabases, type TestDb } from "../support/databases";
import { fakeLiteLLM, principalFor, rejectWith, seedTenant, seedUser } from "../support/seed";

const request = (alias: string, extra: Record<string, unknown> = {}) => ({
  alias,
  models: ["llama-3.1-8b-instruct"],
  expiresInDays: 30,
  ...extra,
});

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(testDatabases())("createKey ($name)", (target) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await target.open();
    await t.migrate();
  });
  afterAll(async () => t?.close());

  async function developerOfNewTenant(budgetCents = 10_000) {
    const tenant = await seedTenant(t.db, { monthlyBudgetCents: budgetCents });
    const user = await seedUser(t.db);
    return { tenant, user, principal: principalFor(user, { tenants: { [tenant.id]: "developer" } }) };
  }

  it("creates an active key whose hash LiteLLM was given, and audits it", async () => {
    const { tenant, user, principal } = await developerOfNewTenant();
    const litellm = fakeLiteLLM();
    const { key, secret } = await createKey(t.db, litellm.client, principal, tenant.id, request("happy", { maxBudget: 12.5 }));

    const generated = litellm.called("generateKey");
    expect(generated).toHaveLength(1);
    expect(generated[0]?.args[0]).toMatchObject({ key: secret, team_id: tenant.id, max_budget: 12.5, duration: "30d" });
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id }, omit: { tokenHash: false } });
    expect(row).toMatchObject({ status: "active", ownerId: user.id, maxBudgetCents: 1250, tokenHash: hashKey(secret), last4: secret.slice(-4) });
    expect(await t.db.auditEvent.count({ where: { targetId: key.id, action: "key.create", outcome: "success" } })).toBe(1);
  });

  it("a LiteLLM refusal removes the pending row and audits the failure", async () => {
    const { tenant, principal } = await developerOfNewTenant();
    const litellm = fakeLiteLLM({ generateKey: rejectWith(new IntegrationError("litellm", "key_generate", 400, "bad")) });

    const error = await failureOf(createKey(t.db, litellm.client, principal, tenant.id, request("refused")));
    expect(error.code).toBe("upstream");
    expect(error.message).toContain("bad");

    expect(await t.db.apiKey.count({ where: { tenantId: tenant.id } })).toBe(0);
    const audit = await t.db.auditEvent.findMany({ where: { tenantId: tenant.id, action: "key.create" } });
    expect(audit.map((a) => a.outcome)).toEqual(["failure"]);
    expect(audit[0]?.detail).toMatchObject({ reason: "bad" });
    expect(await t.db.outboxJob.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("a LiteLLM timeout keeps the row as failed and queues its cleanup", async () => {
    const { tenant, principal } = await developerOfNewTenant();
    const timeout = new IntegrationError("litellm", "key_generate", undefined, "litellm did not answer within 5000 ms");
    const litellm = fakeLiteLLM({ generateKey: rejectWith(timeout) });

    const error = await failureOf(createKey(t.db, litellm.client, principal, tenant.id, request("timed-out")));
    expect(error.code).toBe("upstream");

    const rows = await t.db.apiKey.findMany({ where: { tenantId: tenant.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "failed", failureReason: timeout.message });
    const jobs = await t.db.outboxJob.findMany({ where: { tenantId: tenant.id } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: "litellm.key.abandon", status: "pending", payload: { keyId: rows[0]?.id } });
    expect(await t.db.auditEvent.count({ where: { tenantId: tenant.id, action: "key.create", outcome: "failure" } })).toBe(1);

    // The failed row no longer holds the alias: the developer can simply try again.
    const retry = await createKey(t.db, fakeLiteLLM().client, principal, tenant.id, request("timed-out"));
    expect(retry.key.status).toBe("active");
  });

  it("refuses a second live key with the same alias as a conflict on alias", async () => {
    const { tenant, principal } = await developerOfNewTenant();
    await createKey(t.db, fakeLiteLLM().client, principal, tenant.id, request("dup"));
    const litellm = fakeLiteLLM();
    const error = await failureOf(createKey(t.db, litellm.client, principal, tenant.id, request("dup")));
    expect(error.code).toBe("conflict");
    expect(Object.keys(error.fields ?? {})).toEqual(["alias"]);
    expect(litellm.called("generateKey")).toHaveLength(0);
  });

  it("refuses a budget beyond what the tenant has left, counting existing reservations", async () => {
    const { tenant, principal } = await developerOfNewTenant(5_000);
    await createKey(t.db, fakeLiteLLM().client, principal, tenant.id, request("first", { maxBudget: 30 }));
    const error = await failureOf(createKey(t.db, fakeLiteLLM().client, principal, tenant.id, request("second", { maxBudget: 20.01 })));
    expect(error.code).toBe("validation");
    expect(error.fields?.maxBudget?.join(" ")).toContain("$20.00");
    await expect(createKey(t.db, fakeLiteLLM().client, principal, tenant.id, request("third", { maxBudget: 20 }))).resolves.toBeDefined();
  });

  it("hides other tenants and refuses finance", async () => {
    const { principal } = await developerOfNewTenant();
    const other = await seedTenant(t.db);
    expect((await failureOf(createKey(t.db, fakeLiteLLM().client, principal, other.id, request("x")))).code).toBe("not_found");
    const finance = principalFor(await seedUser(t.db), { platform: ["finance"] });
    expect((await failureOf(createKey(t.db, fakeLiteLLM().client, finance, other.id, request("x")))).code).toBe("forbidden");
    expect(await t.db.apiKey.count({ where: { tenantId: other.id } })).toBe(0);
  });

  // PGlite is a single connection inside this process: its transactions run one after another,
  // so there is no race to lose there. The row lock only matters on a real server.
  it.skipIf(!target.concurrent)("never overspends the tenant budget when creations race", async () => {
    const { tenant, principal } = await developerOfNewTenant(10_000);
    const litellm = fakeLiteLLM({
      generateKey: async (input: { key: string }) => {
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 40));
        return { key: input.key };
      },
    });

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => createKey(t.db, litellm.client, principal, tenant.id, request(`race-${i}`, { maxBudget: 30 }))),
    );

    const succeeded = results.filter((r) => r.status === "fulfilled");
    const failed = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(succeeded).toHaveLength(3);
    expect(failed).toHaveLength(7);
    for (const error of failed) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "validation" });
      expect(Object.keys((error as AppError).fields ?? {})).toEqual(["maxBudget"]);
    }
    const live = await t.db.apiKey.findMany({ where: { tenantId: tenant.id, status: { in: ["pending", "active"] } } });
    expect(live.every((k) => k.status === "active")).toBe(true);
    expect(live.reduce((sum, k) => sum + (k.maxBudgetCents ?? 0), 0)).toBeLessThanOrEqual(tenant.monthlyBudgetCents);
    expect(live).toHaveLength(3);
    expect(litellm.called("generateKey")).toHaveLength(3);
  });
});
