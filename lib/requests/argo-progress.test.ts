import { describe, expect, it } from "vitest";
import type { ApplicationStatus } from "@/lib/integrations/kubernetes/argo";
import { progressFromArgo, type Progress } from "./argo-progress";

const MERGE = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const OLDER = "0f9e8d7c6b5a49382716f5e4d3c2b1a098765432";

function app(overrides: Partial<ApplicationStatus>): ApplicationStatus {
  return {
    name: "tenant-acme",
    sync: "Synced",
    revision: MERGE,
    health: "Healthy",
    operationPhase: "Succeeded",
    message: null,
    reconciledAt: "2025-01-01T00:00:00Z",
    ...overrides,
  };
}

const APPLY_ERROR = 'one or more objects failed to apply, reason: Deployment.apps "qwen-chat" is invalid: spec.replicas: Invalid value: -1';

type Case = [name: string, app: ApplicationStatus | null, containsMerge: boolean, expected: Progress["status"], message: string | RegExp];

const CASES: Case[] = [
  ["no Application yet", null, false, "syncing", "Waiting for Argo CD to create the Application"],
  ["no Application, whatever the revision check said", null, true, "syncing", "Waiting for Argo CD to create the Application"],
  ["Synced and Healthy at an older revision", app({ revision: OLDER }), false, "syncing", /not yet picked up the merge \(at 0f9e8d7\)/],
  ["Degraded at an older revision is not this change's failure", app({ revision: OLDER, health: "Degraded", sync: "OutOfSync", operationPhase: "Failed", message: APPLY_ERROR }), false, "syncing", /not yet picked up the merge \(at 0f9e8d7\)/],
  ["no revision at all", app({ revision: null, sync: "Unknown", health: "Unknown", operationPhase: null }), false, "syncing", /not yet picked up the merge \(at no revision\)/],
  ["Synced and Healthy containing the merge", app({}), true, "live", "Synced and Healthy at the merge commit"],
  ["Synced and Healthy without any operation recorded", app({ operationPhase: null }), true, "live", "Synced and Healthy at the merge commit"],
  ["operation Failed containing the merge", app({ sync: "OutOfSync", health: "Degraded", operationPhase: "Failed", message: APPLY_ERROR }), true, "failed", APPLY_ERROR],
  ["operation Error containing the merge, health still Healthy", app({ sync: "OutOfSync", operationPhase: "Error", message: "rpc error: manifest generation failed" }), true, "failed", "rpc error: manifest generation failed"],
  ["Degraded containing the merge, after a Succeeded sync", app({ health: "Degraded", message: "Deployment does not have minimum availability" }), true, "failed", "Deployment does not have minimum availability"],
  ["Failed without a message from Argo CD", app({ sync: "OutOfSync", health: "Degraded", operationPhase: "Failed", message: null }), true, "failed", "Argo CD reports Failed"],
  ["Degraded without a message from Argo CD", app({ health: "Degraded", operationPhase: null, message: null }), true, "failed", "Argo CD reports Degraded"],
  ["sync Running, Progressing", app({ sync: "OutOfSync", health: "Progressing", operationPhase: "Running" }), true, "syncing", "Argo CD: OutOfSync, Progressing, operation Running"],
  ["Synced but still Progressing", app({ health: "Progressing" }), true, "syncing", "Argo CD: Synced, Progressing, operation Succeeded"],
  ["Synced and Progressing without an operation", app({ health: "Progressing", operationPhase: null }), true, "syncing", "Argo CD: Synced, Progressing"],
  ["OutOfSync but Healthy (change not applied yet)", app({ sync: "OutOfSync", operationPhase: null }), true, "syncing", "Argo CD: OutOfSync, Healthy"],
  ["Synced but Missing", app({ health: "Missing" }), true, "syncing", /Synced, Missing/],
  ["Unknown sync (comparison error) is not live", app({ sync: "Unknown", health: "Healthy", operationPhase: null }), true, "syncing", "Argo CD: Unknown, Healthy"],
  ["Suspended is not live", app({ health: "Suspended" }), true, "syncing", /Synced, Suspended/],
];

describe("progressFromArgo", () => {
  it.each(CASES)("%s", (_name, application, containsMerge, status, message) => {
    const progress = progressFromArgo(application, containsMerge);
    expect(progress.status).toBe(status);
    if (typeof message === "string") expect(progress.message).toBe(message);
    else expect(progress.message).toMatch(message);
  });
});
