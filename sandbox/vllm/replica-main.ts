/**
 * One simulated vLLM replica in a process of its own, for measuring a client against it: a
 * benchmark client that shares the server's event loop measures its own waiting as the server's
 * latency (10–20 ms at 32 streams), so accuracy tests and `npm run bench:runner` fork this.
 *
 *   fork("sandbox/vllm/replica-main.ts", [JSON.stringify(options)], { execArgv: ["--import", "tsx"] })
 *
 * Messages to the parent (IPC): `{ type: "listening", port }` once, then with `truth: true`
 * batches of `{ type: "finished", requests: FinishedRequest[] }` — the engine's own server-side
 * timings (epoch ms) — and `{ type: "http", requests: HttpTiming[] }` — what the HTTP layer saw
 * of each response. Batched per event-loop turn so that reporting costs the simulator little.
 * The parent ending the IPC channel (or dying) ends this process.
 */
import { fork, type ChildProcess } from "node:child_process";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import type { FinishedRequest } from "./engine";
import { ModelServer } from "./model-server";
import { profileFor, type ServingProfile } from "./profiles";
import { createReplicaServer } from "./replica-server";

const optionsSchema = z
  .object({
    servedModelName: z.string().min(1),
    maxModelLen: z.number().int().positive().default(32768),
    /** A catalog shape (profiles.ts), optionally with step-cost overrides for a faster GPU. */
    profile: z
      .object({
        gpuType: z.string().min(1),
        gpus: z.number().int().positive().default(1),
        overrides: z.record(z.string(), z.number()).default({}),
      })
      .optional(),
    truth: z.boolean().default(false),
  })
  .strict();
export type ReplicaOptions = z.input<typeof optionsSchema>;

/**
 * What the HTTP layer of the replica saw of one streamed request (epoch ms): the request's
 * headers arriving, the first write carrying generated text, the end of the response. The span
 * `firstContentMs − receivedMs` is the server-side share of the TTFT a client measures: the
 * engine's truth plus body parsing before arrival and serialization of the chunk after.
 */
export interface HttpTiming {
  receivedMs: number;
  firstContentMs: number | null;
  endMs: number;
}

export type ReplicaMessage =
  | { type: "listening"; port: number }
  | { type: "finished"; requests: FinishedRequest[] }
  | { type: "http"; requests: HttpTiming[] };

function buildProfile(options: z.infer<typeof optionsSchema>): ServingProfile | undefined {
  if (!options.profile) return undefined;
  const base = profileFor(options.servedModelName, options.profile.gpuType, options.profile.gpus);
  return { ...base, ...options.profile.overrides };
}

/** A forked replica: its URL, the ground truth it reported so far, and stop(). */
export interface ForkedReplica {
  url: string;
  child: ChildProcess;
  truth: FinishedRequest[];
  /** HTTP-level timings of streamed responses, in the order they ended. */
  http: HttpTiming[];
  /** Resolves once at least `count` finished requests were reported (they arrive batched, over IPC). */
  waitForTruth: (count: number, timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
}

/** Forks this file as a replica process and resolves once it listens. */
export function forkReplica(options: ReplicaOptions): Promise<ForkedReplica> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const truth: FinishedRequest[] = [];
  const http: HttpTiming[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  const waitForTruth = async (count: number, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (truth.length < count || http.length < count) {
      if (Date.now() > deadline) throw new Error(`replica reported ${truth.length} of ${count} finished requests`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`replica exited with ${code} before listening`)));
    child.on("message", (message: ReplicaMessage) => {
      if (message.type === "finished") truth.push(...message.requests);
      else if (message.type === "http") http.push(...message.requests);
      else resolve({ url: `http://127.0.0.1:${message.port}`, child, truth, http, waitForTruth, stop });
    });
  });
}

/** Reports `item` with others of the same event-loop turn, so IPC costs one message per turn. */
function batcher<T>(type: "finished" | "http", send: (message: ReplicaMessage) => void): (item: T) => void {
  let batch: T[] = [];
  return (item) => {
    if (batch.length === 0) {
      setImmediate(() => {
        send({ type, requests: batch } as ReplicaMessage);
        batch = [];
      });
    }
    batch.push(item);
  };
}

const CONTENT_MARKERS = ['"content":"', '"text":"'];
const carriesText = (chunk: string) =>
  CONTENT_MARKERS.some((m) => {
    const at = chunk.indexOf(m);
    return at >= 0 && chunk.charCodeAt(at + m.length) !== 34;
  });

/**
 * Stamps each streamed response at the HTTP layer by wrapping the shared server's request
 * handler from outside (the replica server itself stays as production-shaped as the others).
 */
function stampHttp(server: Server, report: (timing: HttpTiming) => void): void {
  const handlers = server.listeners("request") as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners("request");
  const clock = () => performance.timeOrigin + performance.now();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const timing: HttpTiming = { receivedMs: clock(), firstContentMs: null, endMs: 0 };
    const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (timing.firstContentMs === null && typeof chunk === "string" && carriesText(chunk)) timing.firstContentMs = clock();
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.once("finish", () => {
      timing.endMs = clock();
      if (req.method === "POST") report(timing);
    });
    for (const handler of handlers) handler(req, res);
  });
}

function main(): void {
  const options = optionsSchema.parse(JSON.parse(process.argv[2] ?? "{}"));
  const send = (message: ReplicaMessage) => process.send?.(message);
  const model = new ModelServer({ servedModelName: options.servedModelName, maxModelLen: options.maxModelLen, profile: buildProfile(options) });
  const server = createReplicaServer(model);
  if (options.truth) {
    model.onRequestFinished(batcher<FinishedRequest>("finished", send));
    stampHttp(server, batcher<HttpTiming>("http", send));
  }
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as AddressInfo).port;
    if (process.send) send({ type: "listening", port });
    else console.log(`listening on http://127.0.0.1:${port}`);
  });
  process.on("disconnect", () => process.exit(0));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
