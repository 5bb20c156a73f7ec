import type { ServerResponse } from "node:http";
import { sendJson } from "../http/respond";

/** `metav1.Status`, the body of every API server error. */
export function kubeStatus(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code };
}

export function sendStatus(res: ServerResponse, code: number, reason: string, message: string, details?: Record<string, unknown>): void {
  sendJson(res, code, kubeStatus(code, reason, message, details));
}

export const sendNotFoundPath = (res: ServerResponse) => sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
