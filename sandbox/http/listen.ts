import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Listens and resolves with the actual port (so port 0 = ephemeral works). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops accepting connections and drops idle/keep-alive ones; without the latter a
 * test run or Ctrl-C would hang for the keep-alive timeout.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeIdleConnections();
    // Streaming responses in flight would otherwise keep the process alive.
    setTimeout(() => server.closeAllConnections(), 250).unref();
  });
}
