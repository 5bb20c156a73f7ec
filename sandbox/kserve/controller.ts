import { findKind, type KindInfo } from "../cluster/registry";
import type { ClusterStore, StoreEvent } from "../cluster/store";
import type { KubeObject } from "../cluster/validate";
import { DEPLOYMENT_MODE_ANNOTATION, ISVC_API_VERSION, ISVC_LABEL, planPredictor, predictorName, rawServiceLabel, type RuntimeRef } from "./predictor";
import { inferenceServiceStatus } from "./status";

/**
 * The KServe controller stand-in, Standard (raw Deployment) mode only: for every
 * InferenceService it keeps the `<isvc>-predictor` Deployment and Service that KServe would
 * create (the simulated fleet runs the Deployment's pods, KEDA scales it through its
 * ScaledObject), writes the InferenceService status from the Deployment's and pods' status, and
 * garbage-collects the children of deleted InferenceServices as the owner references ask.
 * There is no Knative in the sandbox, so Serverless-mode services are left alone.
 */

export interface KServeControllerOptions {
  /** `url` is `http://<isvc>-<namespace>.<ingressDomain>`; KServe's default domain is example.com. */
  ingressDomain?: string;
}

export interface KServeController {
  close(): void;
}

const ISVC = findKind(ISVC_API_VERSION, "InferenceService")!;
const SERVING_RUNTIME = findKind("serving.kserve.io/v1alpha1", "ServingRuntime")!;
const CLUSTER_SERVING_RUNTIME = findKind("serving.kserve.io/v1alpha1", "ClusterServingRuntime")!;
const DEPLOYMENT = findKind("apps/v1", "Deployment")!;
const SERVICE = findKind("v1", "Service")!;
/** Modes KServe runs as plain Deployments (RawDeployment is the name before 0.15). */
const RAW_MODES = new Set(["Standard", "RawDeployment"]);

const ownedByIsvc = (object: KubeObject): { uid: string } | undefined => {
  const refs = (object.metadata.ownerReferences as Array<{ apiVersion?: string; kind?: string; uid?: string; controller?: boolean }> | undefined) ?? [];
  const ref = refs.find((r) => r.kind === "InferenceService" && r.apiVersion?.startsWith("serving.kserve.io/") && r.controller === true);
  return ref?.uid ? { uid: ref.uid } : undefined;
};

function relevant(e: StoreEvent): boolean {
  if (e.kind.group === "serving.kserve.io") return true;
  if (e.kind.group === "" && e.kind.kind === "Pod") return Boolean(e.object.metadata.labels?.[ISVC_LABEL] ?? e.previous?.metadata.labels?.[ISVC_LABEL]);
  if ((e.kind.group === "apps" && e.kind.kind === "Deployment") || (e.kind.group === "" && e.kind.kind === "Service")) return Boolean(ownedByIsvc(e.object));
  return false;
}

export function startKServeController(store: ClusterStore, options: KServeControllerOptions = {}): KServeController {
  const ingressDomain = options.ingressDomain ?? "example.com";
  let scheduled = false;
  let closed = false;

  const runtimesFor = (namespace: string): RuntimeRef[] => [
    ...store.list({ group: SERVING_RUNTIME.group, kind: SERVING_RUNTIME.kind, namespace }).map((object) => ({ object, clusterScoped: false })),
    ...store.list({ group: CLUSTER_SERVING_RUNTIME.group, kind: CLUSTER_SERVING_RUNTIME.kind }).map((object) => ({ object, clusterScoped: true })),
  ];

  const applyChild = (object: KubeObject, kind: KindInfo) => {
    const live = store.get({ kind, namespace: object.metadata.namespace, name: object.metadata.name });
    const owner = live && ownedByIsvc(live);
    // A same-named object someone else owns is not adopted (KServe reports the conflict and stops).
    if (live && !owner) return false;
    store.apply(object, kind);
    return true;
  };

  const reconcileOne = (isvc: KubeObject) => {
    const namespace = isvc.metadata.namespace!;
    const mode = isvc.metadata.annotations?.[DEPLOYMENT_MODE_ANNOTATION] ?? "Standard";
    if (!RAW_MODES.has(mode)) return;
    const name = predictorName(isvc.metadata.name);
    const plan = planPredictor(isvc, runtimesFor(namespace));
    if (plan.ok) {
      applyChild(plan.deployment, DEPLOYMENT);
      applyChild(plan.service, SERVICE);
    }
    const deployment = store.get({ kind: DEPLOYMENT, namespace, name });
    const pods = store.list({
      group: "",
      kind: "Pod",
      namespace,
      labels: (l) => l?.app === rawServiceLabel(name) && l[ISVC_LABEL] === isvc.metadata.name,
      where: (p) => !p.metadata.deletionTimestamp,
    });
    const status = inferenceServiceStatus({
      isvc,
      predictor: name,
      deploymentMode: mode,
      ingressDomain,
      runtimeName: plan.ok ? plan.runtimeName : undefined,
      deployment: deployment && ownedByIsvc(deployment)?.uid === isvc.metadata.uid ? deployment : undefined,
      pods,
      failure: plan.ok ? undefined : { reason: plan.reason, message: plan.message },
    });
    store.updateStatus({ kind: ISVC, namespace, name: isvc.metadata.name }, status);
  };

  /** Deletes predictor Deployments/Services whose InferenceService is gone (the garbage collector's job). */
  const collectGarbage = () => {
    const live = new Set(store.list({ group: ISVC.group, kind: ISVC.kind }).map((i) => String(i.metadata.uid)));
    for (const kind of [DEPLOYMENT, SERVICE]) {
      for (const object of store.list({ group: kind.group, kind: kind.kind })) {
        const owner = ownedByIsvc(object);
        if (owner && !live.has(owner.uid)) store.delete({ kind, namespace: object.metadata.namespace, name: object.metadata.name });
      }
    }
  };

  const reconcile = () => {
    for (const isvc of store.list({ group: ISVC.group, kind: ISVC.kind })) {
      try {
        reconcileOne(isvc);
      } catch (err) {
        console.error(`[sandbox kserve] reconciling ${isvc.metadata.namespace}/${isvc.metadata.name} failed:`, err);
      }
    }
    collectGarbage();
  };

  // Coalesces bursts (an Argo sync, the fleet's pod writes) into one pass, like a work queue.
  const schedule = () => {
    if (scheduled || closed) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (!closed) reconcile();
    });
  };

  const unsubscribe = store.subscribe((e) => {
    if (relevant(e)) schedule();
  });
  reconcile();
  return {
    close() {
      closed = true;
      unsubscribe();
    },
  };
}
