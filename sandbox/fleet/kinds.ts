import type { KindInfo } from "../cluster/registry";

/**
 * Pods and Nodes live in the in-memory store for the simulators (kube-state-metrics, DCGM
 * attribution, the gateway) but are not part of the API server's registry: the vendored
 * swagger subset has no Pod/Node definitions, and the portal reads pods only through metrics.
 */
export const POD_KIND: KindInfo = {
  group: "",
  kind: "Pod",
  plural: "pods",
  singular: "pod",
  namespaced: true,
  versions: ["v1"],
  shortNames: ["po"],
  schema: { source: "core", definition: "io.k8s.api.core.v1.Pod" },
};

export const NODE_KIND: KindInfo = {
  group: "",
  kind: "Node",
  plural: "nodes",
  singular: "node",
  namespaced: false,
  versions: ["v1"],
  shortNames: ["no"],
  schema: { source: "core", definition: "io.k8s.api.core.v1.Node" },
};
