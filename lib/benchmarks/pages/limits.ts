import type { Principal } from "@/lib/auth/principal";
import type { RunnerLimits } from "../config";

/**
 * How much load one person may put on a shared endpoint from the portal. A tenant admin tests
 * their own deployment, which other members of the tenant are using at the same time; a
 * platform admin sizes hardware and may push a deployment to saturation. Enforced on the
 * server when the run is queued (field errors) and again by the runner's own deadline.
 */
export type BenchmarkLimits = RunnerLimits & {
  /** Requests/s of a rate sweep's highest step. */
  maxRate: number;
  /** Requests per step when a step is a request count instead of a duration. */
  maxRequestsPerStep: number;
};

export const TENANT_ADMIN_LIMITS: BenchmarkLimits = { maxConcurrency: 32, maxDurationMs: 5 * 60_000, maxRate: 50, maxRequestsPerStep: 2_000 };
export const PLATFORM_ADMIN_LIMITS: BenchmarkLimits = { maxConcurrency: 256, maxDurationMs: 30 * 60_000, maxRate: 500, maxRequestsPerStep: 20_000 };

/** The larger of the principal's bounds: a platform admin who is also a tenant admin keeps theirs. */
export function limitsFor(principal: Pick<Principal, "platformRoles">): BenchmarkLimits {
  return principal.platformRoles.has("platform-admin") ? PLATFORM_ADMIN_LIMITS : TENANT_ADMIN_LIMITS;
}
