import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/github/route";
import { env } from "@/lib/config/env";
import type { Db } from "@/lib/db/client";
import { createPlatformRepo } from "@/lib/integrations/github/platform-repo";
import { signWebhookBody } from "@/lib/integrations/github/webhook-signature";
import type { Platform } from "@/lib/requests/platform";
import { testDatabases, type TestDb } from "../support/databases";
import type { Delivery } from "@/sandbox/github/webhooks";
import { configMapFiles, eventually, githubConfigFor, literalChange, seedPeople, startGitopsSandbox, submittedRequest, type GitopsSandbox } from "../support/gitops";
import { seedTenant } from "../support/seed";

const URL = "http://portal.test/api/webhooks/github";
const secret = () => env().GITHUB_WEBHOOK_SECRET;

function post(body: string, headers: Record<string, string>) {
  return POST(new Request(URL, { method: "POST", headers, body }) as unknown as NextRequest);
}

function signedHeaders(body: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const headers: Record<string, string | undefined> = {
    "content-type": "application/json",
    "x-github-event": "pull_request",
    "x-github-delivery": randomUUID(),
    "x-hub-signature-256": signWebhookBody(secret(), body),
    ...extra,
  };
  return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
}

const BODY = JSON.stringify({ action: "opened", pull_request: { number: 1 } });

// Every case is refused before the database or GitHub is touched, so no holder is needed here.
const REFUSALS: { name: string; body: string; headers: () => Record<string, string>; expected: { status: number; code: string; message?: string } }[] = [
  { name: "no signature", body: BODY, headers: () => signedHeaders(BODY, { "x-hub-signature-256": undefined }), expected: { status: 401, code: "unauthenticated" } },
  { name: "signed with another secret", body: BODY, headers: () => signedHeaders(BODY, { "x-hub-signature-256": signWebhookBody("not-the-portal-secret", BODY) }), expected: { status: 401, code: "unauthenticated" } },
  { name: "body changed after signing", body: BODY.replace('"number":1', '"number":2'), headers: () => signedHeaders(BODY), expected: { status: 401, code: "unauthenticated" } },
  { name: "valid digest followed by garbage", body: BODY, headers: () => signedHeaders(BODY, { "x-hub-signature-256": `${signWebhookBody(secret(), BODY)}zz` }), expected: { status: 401, code: "unauthenticated" } },
  { name: "legacy sha1 header only", body: BODY, headers: () => signedHeaders(BODY, { "x-hub-signature-256": undefined, "x-hub-signature": "sha1=0000000000000000000000000000000000000000" }), expected: { status: 401, code: "unauthenticated" } },
  { name: "no delivery id", body: BODY, headers: () => signedHeaders(BODY, { "x-github-delivery": undefined }), expected: { status: 400, code: "validation", message: "Missing delivery headers" } },
  { name: "delivery id with path characters", body: BODY, headers: () => signedHeaders(BODY, { "x-github-delivery": "../../etc" }), expected: { status: 400, code: "validation", message: "Missing delivery headers" } },
  { name: "delivery id longer than 64", body: BODY, headers: () => signedHeaders(BODY, { "x-github-delivery": "a".repeat(65) }), expected: { status: 400, code: "validation", message: "Missing delivery headers" } },
  { name: "no event", body: BODY, headers: () => signedHeaders(BODY, { "x-github-event": undefined }), expected: { status: 400, code: "validation", message: "Missing delivery headers" } },
  { name: "signed but not JSON", body: "action=opened", headers: () => signedHeaders("action=opened"), expected: { status: 400, code: "validation", message: "Body is not JSON" } },
  { name: "larger than 5 MiB", body: "x".repeat(5 * 1024 * 1024 + 1), headers: () => signedHeaders("x".repeat(5 * 1024 * 1024 + 1)), expected: { status: 413, code: "validation" } },
];

describe("POST /api/webhooks/github refusals", () => {
  it.each(REFUSALS)("$name → $expected.status", async ({ body, headers, expected }) => {
    const response = await post(body, headers());
    expect(response.status).toBe(expected.status);
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(expected.code);
    if (expected.message) expect(json.error.message).toBe(expected.message);
  });
});

type Holders = { __portalDb?: Promise<{ db: Db; close: () => Promise<void> }>; __portalPlatform?: Platform };
const holders = globalThis as typeof globalThis & Holders;

describe.each(testDatabases())("sandbox deliveries through the route ($name)", (target) => {
  let t: TestDb;
  let gh: GitopsSandbox;
  let receiver: Server;
  let hookId: number;
  const answers: { id: string; status: number; body: unknown }[] = [];

  beforeAll(async () => {
    [t, gh] = await Promise.all([target.open(), startGitopsSandbox()]);
    await t.migrate();
    // The route resolves its database and platform through these process-wide holders.
    expect(holders.__portalDb).toBeUndefined();
    expect(holders.__portalPlatform).toBeUndefined();
    holders.__portalDb = Promise.resolve({ db: t.db, close: async () => undefined });
    holders.__portalPlatform = gh.platform;

    // Hands each delivery to the route exactly as received and answers GitHub with its response.
    receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const response = await post(Buffer.concat(chunks).toString("utf8"), headers);
      const body = await response.json();
      answers.push({ id: headers["x-github-delivery"]!, status: response.status, body });
      res.writeHead(response.status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    hookId = gh.sandbox.github.control.addWebhook(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/github`, secret(), ["pull_request"]);
  });
  afterAll(async () => {
    gh?.sandbox.github.control.removeWebhook(hookId);
    await gh?.sandbox.github.control.webhooksSettled();
    holders.__portalDb = undefined;
    holders.__portalPlatform = undefined;
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    await gh?.close();
    await t?.close();
  });

  const closedDelivery = (prNumber: number, ready: (d: Delivery) => boolean) =>
    Promise.resolve(
      gh.sandbox.github.control.deliveries.find((d) => d.hookId === hookId && !d.redelivery && d.action === "closed" && (d.payload as { number?: number }).number === prNumber && ready(d)),
    );

  it("a merge on GitHub reaches the route signed, moves the request to merged, and a redelivery is a duplicate", async () => {
    const tenant = await seedTenant(t.db);
    const { requester } = await seedPeople(t.db, tenant.id);
    const request = await submittedRequest(t.db, gh.repo, requester, literalChange(tenant.id, "Through the route", configMapFiles(tenant.id, "x")));
    await gh.sandbox.github.control.webhooksSettled();
    const { data: merge } = await gh.github.pulls.merge({ owner: gh.owner, repo: gh.name, pull_number: request.prNumber, sha: request.headSha, merge_method: "squash" });

    const closed = await eventually(() => closedDelivery(request.prNumber, (d) => d.status !== "pending"), 10_000, "the closed delivery");
    expect(closed.statusCode).toBe(200);
    expect(answers.find((a) => a.id === closed.id)?.body).toEqual({ outcome: "processed" });
    expect(await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "merged", mergeSha: merge.sha });

    const again = await gh.sandbox.github.control.redeliver(closed.id);
    expect(again.statusCode).toBe(200);
    expect(answers.filter((a) => a.id === closed.id).map((a) => a.body)).toEqual([{ outcome: "processed" }, { outcome: "duplicate" }]);
    expect(await t.db.requestEvent.count({ where: { requestId: request.id, toStatus: "merged" } })).toBe(1);
  });

  it("processing that fails answers 500 and forgets the delivery, so GitHub's own retry is processed", async () => {
    const tenant = await seedTenant(t.db);
    const { requester } = await seedPeople(t.db, tenant.id);
    const request = await submittedRequest(t.db, gh.repo, requester, literalChange(tenant.id, "Route while GitHub is unreachable", configMapFiles(tenant.id, "x")));
    // The "opened" delivery is asynchronous; had it been read back after the merge, it alone would
    // have moved the request to merged.
    await gh.sandbox.github.control.webhooksSettled();
    // The portal cannot read the PR back (fetch refuses port 1); GitHub itself is fine.
    holders.__portalPlatform = { repo: createPlatformRepo(githubConfigFor("http://127.0.0.1:1", gh.sandbox)), argo: gh.argo };
    let closedId: string;
    try {
      await gh.github.pulls.merge({ owner: gh.owner, repo: gh.name, pull_number: request.prNumber, sha: request.headSha, merge_method: "squash" });
      const failing = await eventually(
        async () => closedDelivery(request.prNumber, (d) => d.attempts.some((a) => a.statusCode === 500)),
        10_000,
        "a failed attempt of the closed delivery",
      );
      closedId = failing.id;
      expect(answers.find((a) => a.id === closedId)?.body).toEqual({ error: { code: "internal", message: "Processing failed; redeliver" } });
      expect(await t.db.webhookDelivery.count({ where: { deliveryId: closedId } })).toBe(0);
      expect((await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("submitted");
    } finally {
      holders.__portalPlatform = gh.platform;
    }

    // The sandbox retries on its own (after 500 ms, 2 s, 5 s) with the same delivery id.
    const delivered = await eventually(async () => closedDelivery(request.prNumber, (d) => d.status === "delivered"), 10_000, "the retried delivery");
    expect(delivered.id).toBe(closedId);
    expect(delivered.attempts.at(-1)?.statusCode).toBe(200);
    expect(answers.filter((a) => a.id === closedId).at(-1)?.body).toEqual({ outcome: "processed" });
    expect((await t.db.changeRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("merged");
  });
});
