import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUniqueViolation } from "@/lib/db/errors";
import { loadMigrations, applyMigrations, MIGRATIONS_DIR } from "@/lib/db/migrate";
import { IntegrationError } from "@/lib/integrations/http";
import { enqueue } from "@/lib/outbox/enqueue";
import { drainOnce } from "@/lib/outbox/worker";
import { testDatabases, type TestDb } from "../support/databases";
import { fakeLiteLLM, rejectWith, seedTenant, seedUser } from "../support/seed";

// These jobs never reach GitHub or Kubernetes; asking for them is a test failure.
const noPlatform = () => {
  throw new Error("platform not expected in this test");
};

/** The migration files as they are on disk, hashed here rather than by the code under test. */
async function migrationFiles() {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"));
      return { name, checksum: createHash("sha256").update(text).digest("hex") };
    }),
  );
}

async function expectP2002(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a unique-constraint violation").toBeDefined();
  expect(isUniqueViolation(error)).toBe(true);
}

const keyData = (tenantId: string, ownerId: string, alias: string, extra: Record<string, unknown> = {}) => ({
  tenantId,
  ownerId,
  alias,
  tokenHash: createHash("sha256").update(randomUUID()).digest("hex"),
  last4: "abcd",
  models: ["llama-3.1-8b-instruct"],
  expiresAt: new Date(Date.now() + 86_400_000),
  ...extra,
});

describe.each(testDatabases())("database ($name)", (target) => {
  describe("migrations", () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await target.open();
    });
    afterAll(async () => t?.close());

    it("applies every migration once, recording the files' sha256", async () => {
      const files = await migrationFiles();
      expect(files.length).toBeGreaterThan(0);

      expect(await applyMigrations(t.sql, await loadMigrations())).toEqual(files.map((f) => f.name));
      const { rows } = await t.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((r) => ({ name: r.migration_name, checksum: r.checksum }))).toEqual(files);
      for (const row of rows) {
        expect(row.finished_at).not.toBeNull();
        expect(row.rolled_back_at).toBeNull();
      }

      expect(await applyMigrations(t.sql, await loadMigrations())).toEqual([]);
      const again = await t.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      expect(again.rows[0]?.n).toBe(files.length);
    });

    it("creates the tables the Prisma schema maps to", async () => {
      await applyMigrations(t.sql, await loadMigrations());
      const { rows } = await t.sql.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      expect(rows.map((r) => r.table_name)).toEqual(
        [
          "_prisma_migrations",
          "api_keys",
          "audit_events",
          "benchmark_runs",
          "benchmark_steps",
          "budget_alerts",
          "change_requests",
          "cost_breakdowns",
          "cost_snapshots",
          "outbox_jobs",
          "request_events",
          "tenant_groups",
          "tenants",
          "users",
          "webhook_deliveries",
        ],
      );
    });

    it("refuses a migration whose file changed after it was applied", async () => {
      await applyMigrations(t.sql, await loadMigrations());
      const [first, ...rest] = await loadMigrations();
      if (!first) throw new Error("no migrations to edit");
      const edited = { ...first, sql: `${first.sql}\n-- edited`, checksum: createHash("sha256").update(`${first.sql}\n-- edited`).digest("hex") };
      await expect(applyMigrations(t.sql, [edited, ...rest])).rejects.toThrow(
        new RegExp(`Migration ${first.name} was changed after it was applied \\(checksum mismatch\\)`),
      );
    });

    it("refuses to continue after a migration that failed half-way", async () => {
      await applyMigrations(t.sql, await loadMigrations());
      await t.sql.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)`, [
        randomUUID(),
        "0".repeat(64),
        "99999999999999_broken",
      ]);
      const broken = { name: "99999999999999_broken", sql: "SELECT 1", checksum: "0".repeat(64) };
      await expect(applyMigrations(t.sql, [...(await loadMigrations()), broken])).rejects.toThrow(/99999999999999_broken failed earlier/);
    });

    it("rolls back a failing migration and names it", async () => {
      const bad = { name: "99999999999998_bad", sql: "CREATE TABLE half_done (id int); SELECT * FROM no_such_table;", checksum: "1".repeat(64) };
      await expect(applyMigrations(t.sql, [...(await loadMigrations()), bad])).rejects.toThrow(/Migration 99999999999998_bad failed/);
      const { rows } = await t.sql.query<{ n: number }>(
        `SELECT (SELECT count(*)::int FROM information_schema.tables WHERE table_name = 'half_done')
              + (SELECT count(*)::int FROM "_prisma_migrations" WHERE migration_name = $1) AS n`,
        [bad.name],
      );
      expect(rows[0]?.n).toBe(0);
    });
  });

  describe("models", () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await target.open();
      await t.migrate();
    });
    afterAll(async () => t?.close());

    it("User: create, read, update; issuer+subject is unique", async () => {
      const user = await t.db.user.create({ data: { issuer: "https://idp", subject: "s-1", email: "a@example.test" } });
      expect(user).toMatchObject({ name: null, email: "a@example.test" });
      expect(user.createdAt).toBeInstanceOf(Date);
      await t.db.user.update({ where: { id: user.id }, data: { name: "A" } });
      expect(await t.db.user.findUnique({ where: { issuer_subject: { issuer: "https://idp", subject: "s-1" } } })).toMatchObject({ id: user.id, name: "A" });

      await expectP2002(t.db.user.create({ data: { issuer: "https://idp", subject: "s-1", email: "b@example.test" } }));
      // The same subject from another issuer is another person.
      await expect(t.db.user.create({ data: { issuer: "https://other-idp", subject: "s-1", email: "c@example.test" } })).resolves.toBeDefined();
    });

    it("Tenant: defaults, arrays and updatedAt", async () => {
      const tenant = await t.db.tenant.create({
        data: { id: "team-models", displayName: "Models", allowedModels: ["m1", "m2"], monthlyBudgetCents: 500 },
      });
      expect(tenant).toMatchObject({ status: "provisioning", budgetDuration: "30d", maxKeyDays: 90, rpmLimit: null, litellmSyncedAt: null });
      const updated = await t.db.tenant.update({ where: { id: tenant.id }, data: { allowedModels: { push: "m3" }, status: "active" } });
      expect(updated.allowedModels).toEqual(["m1", "m2", "m3"]);
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(tenant.updatedAt.getTime());
      await expectP2002(t.db.tenant.create({ data: { id: "team-models", displayName: "Again", allowedModels: [], monthlyBudgetCents: 0 } }));
    });

    it("TenantGroup: tenant+group is unique, and mappings go with their tenant", async () => {
      const tenant = await seedTenant(t.db);
      const other = await seedTenant(t.db);
      await t.db.tenantGroup.create({ data: { tenantId: tenant.id, group: "devs", role: "developer" } });
      await expectP2002(t.db.tenantGroup.create({ data: { tenantId: tenant.id, group: "devs", role: "tenant-admin" } }));
      // One IdP group may map into several tenants.
      await t.db.tenantGroup.create({ data: { tenantId: other.id, group: "devs", role: "tenant-admin" } });
      const mappings = await t.db.tenantGroup.findMany({ where: { group: { in: ["devs"] } }, orderBy: { role: "asc" } });
      expect(mappings.map((m) => [m.tenantId, m.role])).toEqual([
        [tenant.id, "developer"],
        [other.id, "tenant-admin"],
      ]);

      await t.db.tenant.delete({ where: { id: other.id } });
      expect(await t.db.tenantGroup.count({ where: { tenantId: other.id } })).toBe(0);
    });

    it("ApiKey: create/read/update, token hash omitted unless asked for", async () => {
      const tenant = await seedTenant(t.db);
      const owner = await seedUser(t.db);
      const data = keyData(tenant.id, owner.id, "omit-check", { maxBudgetCents: 1234 });
      const created = await t.db.apiKey.create({ data });
      expect(created).not.toHaveProperty("tokenHash");
      expect(created).toMatchObject({ status: "pending", maxBudgetCents: 1234, models: ["llama-3.1-8b-instruct"] });

      expect(await t.db.apiKey.findUnique({ where: { id: created.id } })).not.toHaveProperty("tokenHash");
      expect(await t.db.apiKey.findFirst({ where: { id: created.id }, include: { owner: true } })).not.toHaveProperty("tokenHash");
      expect((await t.db.apiKey.findUnique({ where: { id: created.id }, omit: { tokenHash: false } }))?.tokenHash).toBe(data.tokenHash);
      expect((await t.db.apiKey.findUnique({ where: { tokenHash: data.tokenHash }, select: { tokenHash: true } }))?.tokenHash).toBe(data.tokenHash);

      const activated = await t.db.apiKey.update({ where: { id: created.id, tenantId: tenant.id }, data: { status: "active", activatedAt: new Date() } });
      expect(activated.status).toBe("active");
      expect(activated).not.toHaveProperty("tokenHash");
    });

    it("ApiKey: the token hash is unique across tenants", async () => {
      const [a, b] = [await seedTenant(t.db), await seedTenant(t.db)];
      const owner = await seedUser(t.db);
      const first = keyData(a.id, owner.id, "one");
      await t.db.apiKey.create({ data: first });
      await expectP2002(t.db.apiKey.create({ data: { ...keyData(b.id, owner.id, "two"), tokenHash: first.tokenHash } }));
    });

    it("ApiKey: a live alias is unique within its tenant, a revoked one can be reused", async () => {
      const tenant = await seedTenant(t.db);
      const other = await seedTenant(t.db);
      const owner = await seedUser(t.db);
      const first = await t.db.apiKey.create({ data: keyData(tenant.id, owner.id, "shared", { status: "active" }) });

      await expectP2002(t.db.apiKey.create({ data: keyData(tenant.id, owner.id, "shared", { status: "active" }) }));
      await expectP2002(t.db.apiKey.create({ data: keyData(tenant.id, owner.id, "shared", { status: "pending" }) }));
      // Another tenant has its own namespace of aliases.
      await t.db.apiKey.create({ data: keyData(other.id, owner.id, "shared", { status: "active" }) });
      // Dead keys keep their alias for the record.
      await t.db.apiKey.create({ data: keyData(tenant.id, owner.id, "shared", { status: "failed" }) });

      await t.db.apiKey.update({ where: { id: first.id }, data: { status: "revoked", revokedAt: new Date(), revokedById: owner.id } });
      const reused = await t.db.apiKey.create({ data: keyData(tenant.id, owner.id, "shared", { status: "active" }) });
      expect(await t.db.apiKey.count({ where: { tenantId: tenant.id, alias: "shared" } })).toBe(3);
      expect(reused.id).not.toBe(first.id);
    });

    it("ApiKey: owner and tenant must exist, and a tenant with keys cannot be deleted", async () => {
      const tenant = await seedTenant(t.db);
      const owner = await seedUser(t.db);
      await expect(t.db.apiKey.create({ data: keyData("no-such-tenant", owner.id, "x") })).rejects.toMatchObject({ code: "P2003" });
      await expect(t.db.apiKey.create({ data: keyData(tenant.id, randomUUID(), "x") })).rejects.toMatchObject({ code: "P2003" });
      await t.db.apiKey.create({ data: keyData(tenant.id, owner.id, "x") });
      await expect(t.db.tenant.delete({ where: { id: tenant.id } })).rejects.toBeDefined();
      expect(await t.db.tenant.findUnique({ where: { id: tenant.id } })).not.toBeNull();
    });

    it("AuditEvent: JSON detail round-trips and filters by tenant and time", async () => {
      const tenant = await seedTenant(t.db);
      const detail = { alias: "a", models: ["m"], nested: { budget: 12.5, none: null } };
      const event = await t.db.auditEvent.create({ data: { action: "key.create", outcome: "success", tenantId: tenant.id, detail } });
      expect(event).toMatchObject({ requestId: null, actorId: null, detail });
      const found = await t.db.auditEvent.findMany({ where: { tenantId: tenant.id, at: { lte: new Date(Date.now() + 1000) } } });
      expect(found.map((e) => e.id)).toEqual([event.id]);
      await t.db.auditEvent.update({ where: { id: event.id }, data: { outcome: "failure" } });
      expect((await t.db.auditEvent.findUnique({ where: { id: event.id } }))?.outcome).toBe("failure");
    });

    it("OutboxJob: defaults, and enqueue is idempotent by dedupe key", async () => {
      const dedupeKey = `test:${randomUUID()}`;
      await enqueue(t.db, { kind: "litellm.team.sync", dedupeKey, payload: { tenantId: "x" }, tenantId: "x" });
      await enqueue(t.db, { kind: "litellm.team.sync", dedupeKey, payload: { tenantId: "changed" } });
      const jobs = await t.db.outboxJob.findMany({ where: { dedupeKey } });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ status: "pending", attempts: 0, payload: { tenantId: "x" }, lockedBy: null, lastError: null });
      await expectP2002(t.db.outboxJob.create({ data: { kind: "litellm.team.sync", dedupeKey, payload: {} } }));
    });

    it("ChangeRequest and RequestEvent: numbered, unique branch, events cascade with the request", async () => {
      const tenant = await seedTenant(t.db);
      const data = (branch: string) => ({
        tenantId: tenant.id,
        kind: "model-access",
        status: "queued",
        title: "Model access",
        requesterId: "u1",
        requesterEmail: "a@example.com",
        payload: { kind: "model-access", tenant: tenant.id, models: ["m"] },
        files: [{ path: "litellm/teams/x.yaml", content: "a: 1\n" }],
        summary: { title: "t", summaryRows: [["k", "v"]], checklist: [] },
        branch,
      });
      const first = await t.db.changeRequest.create({ data: data(`b-${randomUUID()}`) });
      const second = await t.db.changeRequest.create({ data: data(`b-${randomUUID()}`) });
      expect(second.number).toBeGreaterThan(first.number);
      expect(first).toMatchObject({ prNumber: null, mergeSha: null, costDeltaCents: null, files: [{ path: "litellm/teams/x.yaml", content: "a: 1\n" }] });
      await expectP2002(t.db.changeRequest.create({ data: data(first.branch) }));
      await t.db.requestEvent.create({ data: { requestId: first.id, type: "status", toStatus: "queued", actorEmail: "a@example.com", message: "submitted" } });
      const updated = await t.db.changeRequest.update({ where: { id: first.id }, data: { status: "submitted", prNumber: 7, headSha: "a".repeat(40) } });
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
      expect(await t.db.requestEvent.count({ where: { requestId: first.id } })).toBe(1);
      await t.db.changeRequest.delete({ where: { id: first.id } });
      expect(await t.db.requestEvent.count({ where: { requestId: first.id } })).toBe(0);
    });

    it("WebhookDelivery: a delivery id is recorded once", async () => {
      const deliveryId = randomUUID();
      const row = await t.db.webhookDelivery.create({ data: { deliveryId, event: "pull_request" } });
      expect(row.receivedAt).toBeInstanceOf(Date);
      await expectP2002(t.db.webhookDelivery.create({ data: { deliveryId, event: "pull_request" } }));
    });
  });

  describe("outbox worker", () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await target.open();
      await t.migrate();
    });
    afterAll(async () => t?.close());

    it("drains a team sync: the job is done, the tenant active, the change audited", async () => {
      const tenant = await seedTenant(t.db, { status: "provisioning", monthlyBudgetCents: 12_345 });
      await enqueue(t.db, { kind: "litellm.team.sync", dedupeKey: `team-sync:${tenant.id}`, tenantId: tenant.id, payload: { tenantId: tenant.id } });
      const litellm = fakeLiteLLM({ teamInfo: rejectWith(new IntegrationError("litellm", "team_info", 404, "team not found")) });

      expect(await drainOnce({ db: t.db, litellm: litellm.client, platform: noPlatform })).toBe(1);

      const created = litellm.called("createTeam");
      expect(created).toHaveLength(1);
      expect(created[0]?.args[0]).toMatchObject({ team_id: tenant.id, max_budget: 123.45, models: tenant.allowedModels });
      const job = await t.db.outboxJob.findUniqueOrThrow({ where: { dedupeKey: `team-sync:${tenant.id}` } });
      expect(job).toMatchObject({ status: "done", attempts: 1, lockedBy: null, lastError: null });
      expect(job.doneAt).toBeInstanceOf(Date);
      const after = await t.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
      expect(after.status).toBe("active");
      expect(after.litellmSyncedAt).toBeInstanceOf(Date);
      const audit = await t.db.auditEvent.findMany({ where: { tenantId: tenant.id, action: "litellm.team.create" } });
      expect(audit).toHaveLength(1);
      expect(audit[0]?.outcome).toBe("success");

      // Nothing left to claim: a done job is never run again.
      expect(await drainOnce({ db: t.db, litellm: litellm.client, platform: noPlatform })).toBe(0);
      expect(litellm.called("createTeam")).toHaveLength(1);
    });

    it("updates a team LiteLLM already knows instead of creating it", async () => {
      const tenant = await seedTenant(t.db, { status: "provisioning" });
      await enqueue(t.db, { kind: "litellm.team.sync", dedupeKey: `team-sync:${tenant.id}`, tenantId: tenant.id, payload: { tenantId: tenant.id } });
      const litellm = fakeLiteLLM();
      await drainOnce({ db: t.db, litellm: litellm.client, platform: noPlatform });
      expect(litellm.called("createTeam")).toHaveLength(0);
      expect(litellm.called("updateTeam")).toHaveLength(1);
      expect(await t.db.auditEvent.count({ where: { tenantId: tenant.id, action: "litellm.team.update" } })).toBe(1);
    });

    it("a failing job stays pending, counts the attempt, keeps the error and backs off", async () => {
      const tenant = await seedTenant(t.db, { status: "provisioning" });
      const dedupeKey = `team-sync:${tenant.id}`;
      await enqueue(t.db, { kind: "litellm.team.sync", dedupeKey, tenantId: tenant.id, payload: { tenantId: tenant.id } });
      const failing = fakeLiteLLM({ teamInfo: rejectWith(new IntegrationError("litellm", "team_info", 503, "LiteLLM answered 503")) });

      const before = Date.now();
      expect(await drainOnce({ db: t.db, litellm: failing.client, platform: noPlatform })).toBe(1);

      const job = await t.db.outboxJob.findUniqueOrThrow({ where: { dedupeKey } });
      expect(job).toMatchObject({ status: "pending", attempts: 1, lockedBy: null, lockedAt: null, lastError: "LiteLLM answered 503" });
      expect(job.runAfter.getTime()).toBeGreaterThan(before);
      expect((await t.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).status).toBe("provisioning");
      expect(await t.db.auditEvent.count({ where: { tenantId: tenant.id } })).toBe(0);

      // Not due yet: an immediate second drain leaves it alone.
      expect(await drainOnce({ db: t.db, litellm: failing.client, platform: noPlatform })).toBe(0);
      expect((await t.db.outboxJob.findUniqueOrThrow({ where: { dedupeKey } })).attempts).toBe(1);

      // Once due, it is retried and the attempt counter keeps going.
      await t.db.outboxJob.update({ where: { dedupeKey }, data: { runAfter: new Date(Date.now() - 1000) } });
      await drainOnce({ db: t.db, litellm: fakeLiteLLM().client, platform: noPlatform });
      expect(await t.db.outboxJob.findUniqueOrThrow({ where: { dedupeKey } })).toMatchObject({ status: "done", attempts: 2, lastError: null });
    });

    it("takes over a job whose worker died, but not one that is still leased", async () => {
      const tenant = await seedTenant(t.db, { status: "provisioning" });
      const dedupeKey = `team-sync:${tenant.id}`;
      await enqueue(t.db, { kind: "litellm.team.sync", dedupeKey, tenantId: tenant.id, payload: { tenantId: tenant.id } });
      await t.db.outboxJob.update({ where: { dedupeKey }, data: { lockedBy: "other-worker", lockedAt: new Date() } });
      expect(await drainOnce({ db: t.db, litellm: fakeLiteLLM().client, platform: noPlatform })).toBe(0);

      await t.db.outboxJob.update({ where: { dedupeKey }, data: { lockedAt: new Date(Date.now() - 10 * 60_000) } });
      expect(await drainOnce({ db: t.db, litellm: fakeLiteLLM().client, platform: noPlatform })).toBe(1);
      expect((await t.db.outboxJob.findUniqueOrThrow({ where: { dedupeKey } })).status).toBe("done");
    });
  });
});
