import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { DeploymentRef } from "@/lib/metrics/types";

/** Deployments with metrics in the range, each linking to its model page. */
export function DeploymentsTable({ deployments, showNamespace }: { deployments: DeploymentRef[]; showNamespace: boolean }) {
  return (
    <Table aria-label="Deployments" data-testid="deployments-table">
      <TableHeader>
        <TableRow>
          {showNamespace ? <TableHead>Tenant</TableHead> : null}
          <TableHead>Deployment</TableHead>
          <TableHead>Model</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {deployments.map((d) => (
          <TableRow key={`${d.namespace}/${d.deployment}/${d.model}`}>
            {showNamespace ? <TableCell className="text-sm">{d.namespace}</TableCell> : null}
            <TableCell>
              <Link
                href={`/t/${encodeURIComponent(d.namespace)}/deployments/${encodeURIComponent(d.deployment)}`}
                className="font-medium text-primary underline-offset-4 hover:underline"
              >
                {d.deployment}
              </Link>
            </TableCell>
            <TableCell className="font-mono text-xs">{d.model}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
