import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideReplicas, initialScaleState, metricDesired, type ScaleSpec, type ScaleState, type TriggerReading } from "./replicas";
import { scalingRulesOf } from "./scaling-rules";

const S = 1000;
/** The portal's template: min/max from the request, cooldown 600 s, down 1 pod per 300 s after 600 s. */
function templateSpec(minReplicas: number, maxReplicas: number): ScaleSpec {
  return {
    minReplicas,
    maxReplicas,
    cooldownMs: 600 * S,
    ...scalingRulesOf({ scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] } }),
  };
}
const queue = (value: number | undefined, threshold = 4, activationThreshold = 0): TriggerReading => ({ value, threshold, activationThreshold });

/** Feeds readings at the given times, returning the replica count after each. */
function run(spec: ScaleSpec, start: ScaleState, steps: Array<[number, TriggerReading[]]>): number[] {
  let state = start;
  return steps.map(([at, readings]) => {
    const d = decideReplicas(spec, readings, state, at);
    state = d.state;
    return d.replicas;
  });
}

describe("metricDesired (HPA AverageValue)", () => {
  it("is ceil(value / threshold) outside the tolerance", () => {
    expect(metricDesired(13, 4, 1)).toBe(4);
    expect(metricDesired(0, 4, 3)).toBe(0);
    expect(metricDesired(4.01, 4, 2)).toBe(2);
  });
  it("keeps the current count within 10 % of the target", () => {
    expect(metricDesired(12.5, 4, 3)).toBe(3); // ratio 1.04
    expect(metricDesired(11, 4, 3)).toBe(3); // ratio 0.92
    expect(metricDesired(10.5, 4, 3)).toBe(3); // ratio 0.875 → ceil(2.6) = 3 anyway
    expect(metricDesired(14, 4, 3)).toBe(4); // ratio 1.17
  });
});

describe("decideReplicas", () => {
  it("scales up at once to ceil(queue / target), clamped to max", () => {
    const spec = templateSpec(1, 4);
    expect(decideReplicas(spec, [queue(13)], initialScaleState(1), 0).replicas).toBe(4);
    expect(decideReplicas(spec, [queue(9)], initialScaleState(1), 0).replicas).toBe(3);
    expect(decideReplicas(spec, [queue(400)], initialScaleState(1), 0).replicas).toBe(4);
    expect(decideReplicas(spec, [queue(0)], initialScaleState(1), 0).replicas).toBe(1);
  });

  it("takes the largest wish across triggers", () => {
    const spec = templateSpec(1, 10);
    expect(decideReplicas(spec, [queue(4), queue(20)], initialScaleState(1), 0).replicas).toBe(5);
    expect(decideReplicas(spec, [queue(20), queue(0)], initialScaleState(1), 0).replicas).toBe(5);
  });

  it("limits a scale-up by the default policies (max of +100 % and +4 pods per 15 s)", () => {
    const spec = templateSpec(1, 20);
    const [first, sameWindow, nextWindow] = run(spec, initialScaleState(1), [
      [0, [queue(80)]],
      [5 * S, [queue(80)]],
      [16 * S, [queue(80)]],
    ]);
    expect(first).toBe(5); // max(ceil(1 * 2), 1 + 4)
    expect(sameWindow).toBe(5); // the period still counts the 4 pods added
    expect(nextWindow).toBe(10); // max(5 * 2, 5 + 4)
  });

  it("activates from zero only above the activation threshold, and goes to min(1) first", () => {
    const spec = templateSpec(0, 4);
    expect(decideReplicas(spec, [queue(0, 4, 0)], initialScaleState(0), 0).replicas).toBe(0);
    expect(decideReplicas(spec, [queue(2, 4, 2)], initialScaleState(0), 0).replicas).toBe(0);
    const d = decideReplicas(spec, [queue(30, 4, 0)], initialScaleState(0), 0);
    expect(d).toMatchObject({ replicas: 1, active: true });
    expect(d.state.lastActiveAt).toBe(0);
  });

  it("brings an idle target up to a minReplicaCount above zero", () => {
    expect(decideReplicas(templateSpec(2, 4), [queue(0)], initialScaleState(0), 0).replicas).toBe(2);
  });

  it("returns to zero only after cooldownPeriod with every trigger inactive", () => {
    const spec = templateSpec(0, 4);
    const start: ScaleState = { ...initialScaleState(1), lastActiveAt: 0 };
    expect(run(spec, start, [[599 * S, [queue(0), queue(0)]]])).toEqual([1]);
    expect(run(spec, start, [[600 * S, [queue(0), queue(0)]]])).toEqual([0]);
    // One trigger still active keeps it (and restarts the cooldown).
    const d = decideReplicas(spec, [queue(0), queue(1)], start, 700 * S);
    expect(d.replicas).toBe(1);
    expect(d.state.lastActiveAt).toBe(700 * S);
  });

  it("scales down only after the stabilization window, one pod per policy period", () => {
    const spec = templateSpec(1, 4);
    const steps: Array<[number, TriggerReading[]]> = [[0, [queue(16)]]];
    for (let t = 60; t <= 1500; t += 60) steps.push([t * S, [queue(0)]]);
    const replicas = run(spec, initialScaleState(1), steps);
    const at = (seconds: number) => replicas[steps.findIndex(([t]) => t === seconds * S)];
    expect(at(0)).toBe(4);
    expect(at(540)).toBe(4); // the 4 recommended at t=0 is still in the 600 s window
    expect(at(600)).toBe(4);
    expect(at(660)).toBe(3); // window passed: one pod
    expect(at(900)).toBe(3); // …and no more within 300 s
    expect(at(960)).toBe(2);
    expect(at(1260)).toBe(1);
    expect(at(1500)).toBe(1); // never below the HPA minimum
  });

  it("does not scale down on Disabled, but still scales up", () => {
    const spec: ScaleSpec = { ...templateSpec(1, 8), ...scalingRulesOf({ scaleDown: { selectPolicy: "Disabled", stabilizationWindowSeconds: 0 } }) };
    expect(run(spec, initialScaleState(4), [[0, [queue(0)]], [1000 * S, [queue(0)]]])).toEqual([4, 4]);
    expect(run(spec, initialScaleState(4), [[0, [queue(32)]]])).toEqual([8]);
  });

  it("keeps the count when every query fails, and never scales down on a partial failure", () => {
    const spec = templateSpec(0, 4);
    const start: ScaleState = { ...initialScaleState(3), lastActiveAt: -10_000 * S };
    expect(decideReplicas(spec, [queue(undefined), queue(undefined)], start, 0).replicas).toBe(3);
    expect(decideReplicas(spec, [queue(undefined), queue(0)], start, 0).replicas).toBe(3);
    expect(decideReplicas(spec, [queue(undefined), queue(16)], start, 0).replicas).toBe(4);
  });

  it("treats NaN and infinite values as failed readings, not as huge queues", () => {
    const spec = templateSpec(1, 4);
    expect(decideReplicas(spec, [queue(Number.POSITIVE_INFINITY)], initialScaleState(2), 0).replicas).toBe(2);
    expect(decideReplicas(spec, [queue(Number.NaN)], initialScaleState(2), 0).replicas).toBe(2);
  });

  it("shortens every window with the time scale", () => {
    const spec: ScaleSpec = { ...templateSpec(0, 4), cooldownMs: 60 * S, ...scalingRulesOf({ scaleDown: { stabilizationWindowSeconds: 600 } }, 0.1) };
    expect(spec.down.stabilizationWindowMs).toBe(60 * S);
    expect(spec.up.policies.map((p) => p.periodMs)).toEqual([1.5 * S, 1.5 * S]);
  });

  it("always stays within [0, max] and, when not at zero, within [max(min, 1), max]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 600 }), fc.option(fc.double({ min: -10, max: 1e6, noNaN: false }), { nil: undefined })), { minLength: 1, maxLength: 30 }),
        (min, extra, steps) => {
          const spec = templateSpec(min, min + extra);
          let state = initialScaleState(min);
          let now = 0;
          for (const [dt, value] of steps) {
            now += dt * S;
            const d = decideReplicas(spec, [queue(value)], state, now);
            state = d.state;
            expect(d.replicas).toBeGreaterThanOrEqual(min === 0 ? 0 : min);
            expect(d.replicas).toBeLessThanOrEqual(spec.maxReplicas);
            if (d.replicas > 0) expect(d.replicas).toBeGreaterThanOrEqual(Math.max(min, 1));
          }
        },
      ),
    );
  });
});
