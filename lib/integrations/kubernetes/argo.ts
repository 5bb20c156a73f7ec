import { CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { z } from "zod";
import { metrics } from "@/lib/observability/metrics";

// The parts of an Argo CD Application's status the portal reads (argoproj.io/v1alpha1).
const applicationSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }),
  status: z
    .looseObject({
      sync: z.looseObject({ status: z.string().optional(), revision: z.string().optional() }).optional(),
      health: z.looseObject({ status: z.string().optional(), message: z.string().optional() }).optional(),
      operationState: z
        .looseObject({
          phase: z.string().optional(),
          message: z.string().optional(),
          syncResult: z.looseObject({ revision: z.string().optional() }).optional(),
        })
        .optional(),
      conditions: z.array(z.looseObject({ type: z.string(), message: z.string().optional() })).optional(),
      reconciledAt: z.string().optional(),
    })
    .optional(),
});

export type ApplicationStatus = {
  name: string;
  sync: string;
  revision: string | null;
  health: string;
  operationPhase: string | null;
  message: string | null;
  reconciledAt: string | null;
};

export type ArgoConfig = { kubeconfigPath?: string; namespace: string; timeoutMs: number };

function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault(); // $KUBECONFIG, ~/.kube/config, or the in-cluster service account
  return kc;
}

/** Reads Argo CD Applications through the Kubernetes API, as `kubectl get application` would. */
export function createArgoClient(config: ArgoConfig) {
  let api: CustomObjectsApi | undefined;
  const client = () => (api ??= loadKubeConfig(config.kubeconfigPath).makeApiClient(CustomObjectsApi));

  return {
    /** The Application's status, or null when it does not exist (yet). */
    async getApplication(name: string): Promise<ApplicationStatus | null> {
      const started = performance.now();
      const observe = (outcome: string) =>
        metrics().integrationDuration.observe({ system: "kubernetes", operation: "get_application", outcome }, (performance.now() - started) / 1000);
      let raw: unknown;
      try {
        raw = await Promise.race([
          client().getNamespacedCustomObject({ group: "argoproj.io", version: "v1alpha1", namespace: config.namespace, plural: "applications", name }),
          new Promise((_, reject) => setTimeout(() => reject(new Error(`Kubernetes API did not answer within ${config.timeoutMs} ms`)), config.timeoutMs)),
        ]);
      } catch (error) {
        if ((error as { code?: number }).code === 404) {
          observe("ok");
          return null;
        }
        observe("error");
        metrics().integrationErrors.inc({ system: "kubernetes", operation: "get_application", reason: String((error as { code?: number }).code ?? "network") });
        throw error;
      }
      observe("ok");
      const app = applicationSchema.parse(raw);
      const status = app.status ?? {};
      const failedCondition = status.conditions?.find((c) => /Error$/.test(c.type));
      return {
        name: app.metadata.name,
        sync: status.sync?.status ?? "Unknown",
        revision: status.sync?.revision ?? status.operationState?.syncResult?.revision ?? null,
        health: status.health?.status ?? "Unknown",
        operationPhase: status.operationState?.phase ?? null,
        message: failedCondition?.message ?? status.operationState?.message ?? status.health?.message ?? null,
        reconciledAt: status.reconciledAt ?? null,
      };
    },
  };
}

export type ArgoClient = ReturnType<typeof createArgoClient>;
