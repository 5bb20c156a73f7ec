import { describe, expect, it } from "vitest";
import { canMove, REQUEST_STATUSES, transition, type RequestStatus } from "./lifecycle";

// Written out by hand from the lifecycle: queued → submitted (PR open) → merged → syncing → live,
// with the rejected / failed / superseded exits. Everything not listed is refused.
const ALLOWED: ReadonlyArray<readonly [RequestStatus, RequestStatus]> = [
  ["queued", "submitted"], // the PR was opened
  ["queued", "failed"], // it no longer renders against main
  ["submitted", "merged"],
  ["submitted", "rejected"],
  ["submitted", "superseded"],
  ["submitted", "failed"],
  ["merged", "syncing"],
  ["merged", "live"], // LiteLLM-only changes: no Argo CD step
  ["merged", "failed"],
  ["syncing", "live"],
  ["syncing", "failed"],
  ["live", "superseded"],
];

const STATUSES: RequestStatus[] = ["queued", "submitted", "merged", "syncing", "live", "rejected", "failed", "superseded"];

describe("canMove", () => {
  it("knows exactly these statuses", () => {
    expect([...REQUEST_STATUSES].sort()).toEqual([...STATUSES].sort());
  });

  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to, ALLOWED.some(([f, t]) => f === from && t === to)] as const));
  it.each(pairs)("%s → %s: %s", (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
  });

  it("never moves a terminal request", () => {
    for (const terminal of ["rejected", "failed", "superseded"] as const) {
      expect(STATUSES.filter((to) => canMove(terminal, to))).toEqual([]);
    }
  });

  it("refuses statuses it does not know", () => {
    expect(canMove("approved", "merged")).toBe(false);
    expect(canMove("", "submitted")).toBe(false);
    expect(canMove("toString", "submitted")).toBe(false);
    expect(canMove("constructor", "live")).toBe(false);
  });
});

// transition() against an in-memory stand-in for the two tables it touches.
function fakeTx(rowStatus: string) {
  const row = { id: "r1", status: rowStatus };
  const events: Record<string, unknown>[] = [];
  const updates: unknown[] = [];
  const tx = {
    changeRequest: {
      updateMany: async (args: { where: { id: string; status: string }; data: { status: string } }) => {
        updates.push(args);
        if (args.where.id !== row.id || args.where.status !== row.status) return { count: 0 };
        Object.assign(row, args.data);
        return { count: 1 };
      },
    },
    requestEvent: { create: async (args: { data: Record<string, unknown> }) => void events.push(args.data) },
  };
  return { tx: tx as unknown as Parameters<typeof transition>[0], row, events, updates };
}

describe("transition", () => {
  it("moves the row and records one status event", async () => {
    const { tx, row, events } = fakeTx("submitted");
    const moved = await transition(tx, { id: "r1", status: "submitted" }, "merged", { actor: "a@example.test", message: "merged" }, { mergeSha: "abc" } as never);
    expect(moved).toBe(true);
    expect(row).toMatchObject({ status: "merged", mergeSha: "abc" });
    expect(events).toEqual([expect.objectContaining({ requestId: "r1", type: "status", fromStatus: "submitted", toStatus: "merged", actorEmail: "a@example.test" })]);
  });

  it("does not touch the database for a move the lifecycle forbids", async () => {
    const { tx, row, events, updates } = fakeTx("live");
    expect(await transition(tx, { id: "r1", status: "live" }, "merged", { actor: "x", message: "no" })).toBe(false);
    expect(row.status).toBe("live");
    expect(updates).toEqual([]);
    expect(events).toEqual([]);
  });

  it("loses the compare-and-set when another actor moved the row first, and records nothing", async () => {
    const { tx, row, events } = fakeTx("rejected"); // the caller still believes it is submitted
    expect(await transition(tx, { id: "r1", status: "submitted" }, "merged", { actor: "x", message: "late" })).toBe(false);
    expect(row.status).toBe("rejected");
    expect(events).toEqual([]);
  });
});
