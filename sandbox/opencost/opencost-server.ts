import { createServer, type Server } from "node:http";
import type { ClusterStore } from "../cluster/store";
import { closeServer, listen } from "../http/listen";
import { sendJson, sendText } from "../http/respond";
import { computeAllocation } from "./allocation";
import { ClusterHistory } from "./history";
import { priceTable, type PriceTable } from "./pricing";
import { parseAllocationQuery } from "./query";
import { loadScenarioMonths } from "./scenario";
import { ParamError } from "./window";

export interface OpenCostOptions {
  /** The cluster whose Pods and Nodes are recorded; omit to serve only injected history. */
  store?: ClusterStore;
  host: string;
  /** 0 = ephemeral. */
  port: number;
  prices?: Partial<PriceTable>;
  /** Epoch ms; injected in tests. */
  now?: () => number;
}

export interface OpenCostStandIn {
  server: Server;
  url: string;
  history: ClusterHistory;
  prices: PriceTable;
  close(): Promise<void>;
}

/**
 * OpenCost's HTTP API as far as the portal uses it: `GET /allocation/compute` (and `/healthz`).
 * Bad parameters get OpenCost's plain-text 400 (`http.Error`), the data its `{code, status, data}`
 * envelope.
 */
export function createOpenCostServer(history: ClusterHistory, prices: PriceTable): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    if (url.pathname === "/healthz") return sendText(res, 200, "OK");
    if (url.pathname === SCENARIO_PATH) return loadScenarioRoute(history, req.method, url, res);
    if (url.pathname !== "/allocation/compute") return sendText(res, 404, "404 page not found\n");
    if (req.method !== "GET" && req.method !== "HEAD") return sendText(res, 405, "Method Not Allowed\n");
    try {
      const now = history.now();
      const query = parseAllocationQuery(url.searchParams, now);
      sendJson(res, 200, { code: 200, status: "success", data: computeAllocation(history, prices, query, now) });
    } catch (err) {
      if (err instanceof ParamError) return sendText(res, 400, `${err.message}\n`);
      console.error("[sandbox opencost]", err);
      sendJson(res, 500, { code: 500, message: "Internal Server Error" });
    }
  });
}

/** Sandbox-only control endpoint (no OpenCost has it): `POST /_sandbox/scenario?month=YYYY-MM[&month=…]`. */
export const SCENARIO_PATH = "/_sandbox/scenario";

/**
 * Replaces the history with the scripted scenario of the given consecutive months, so demos and
 * e2e runs start from known figures. Only the stand-in's own history changes; a cluster store it
 * is attached to keeps recording from the next event on.
 */
function loadScenarioRoute(history: ClusterHistory, method: string | undefined, url: URL, res: Parameters<typeof sendJson>[0]) {
  if (method !== "POST") return sendText(res, 405, "Method Not Allowed\n");
  const months = url.searchParams.getAll("month");
  if (months.length === 0 || months.length > 24 || !months.every((m) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m))) return sendText(res, 400, "month must be YYYY-MM (1 to 24 consecutive months)\n");
  try {
    loadScenarioMonths(history, months);
  } catch (err) {
    return sendText(res, 400, `${(err as Error).message}\n`);
  }
  return sendJson(res, 200, { loaded: [...new Set(months)].sort() });
}

/** Starts the stand-in; with `store`, it records the cluster's Pods and Nodes from now on. */
export async function startOpenCost(options: OpenCostOptions): Promise<OpenCostStandIn> {
  const history = new ClusterHistory(options.now);
  const detach = options.store ? history.attach(options.store) : () => {};
  const prices = priceTable(options.prices);
  const server = createOpenCostServer(history, prices);
  const port = await listen(server, options.port, options.host);
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    server,
    url: `http://${host}:${port}`,
    history,
    prices,
    close: async () => {
      detach();
      await closeServer(server);
    },
  };
}
