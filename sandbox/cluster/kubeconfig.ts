import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";

export const KUBE_CONTEXT = "sandbox";

/** A kubeconfig for the stand-in, loadable by `KubeConfig.loadFromFile` and kubectl. */
export function kubeconfigYaml(server: string, token: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    // client-node refuses plain http unless TLS verification is explicitly off; the stand-in
    // serves plain http on loopback, so there is nothing to verify.
    clusters: [{ name: KUBE_CONTEXT, cluster: { server, "insecure-skip-tls-verify": true } }],
    users: [{ name: KUBE_CONTEXT, user: { token } }],
    contexts: [{ name: KUBE_CONTEXT, context: { cluster: KUBE_CONTEXT, user: KUBE_CONTEXT, namespace: "argocd" } }],
    "current-context": KUBE_CONTEXT,
    preferences: {},
  });
}

export async function writeKubeconfig(file: string, server: string, token: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // Holds a bearer token: owner-only, like ~/.kube/config.
  await writeFile(file, kubeconfigYaml(server, token), { mode: 0o600 });
}
