import type { DeploymentRef } from "@/lib/metrics/types";

type Props = { deployments: DeploymentRef[]; value: string; onChange: (namespace: string | null, deployment: string | null) => void };

/**
 * Why the autoscaler watches the queue, next to the chart that shows it, and which
 * deployment the chart is about.
 */
export function ScalingSignalNote({ deployments, value, onChange }: Props) {
  return (
    <span className="grid gap-2">
      <span>
        Queue depth, not GPU utilization, is the scaling signal: a serving GPU reads near 100% busy with any batch at all, while waiting
        requests only grow when demand exceeds what the replicas can serve — and that wait is what users feel as time to first token.
      </span>
      <label className="flex items-center gap-2">
        <span>Deployment</span>
        <select
          className="h-8 rounded-md border border-input bg-background px-2 text-xs text-foreground"
          value={value}
          onChange={(e) => {
            const [ns, name] = e.target.value.split("/");
            onChange(ns || null, name || null);
          }}
        >
          {deployments.map((d) => (
            <option key={`${d.namespace}/${d.deployment}/${d.model}`} value={`${d.namespace}/${d.deployment}`}>
              {d.namespace}/{d.deployment}
            </option>
          ))}
        </select>
      </label>
    </span>
  );
}
