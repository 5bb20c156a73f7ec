import { mkdirSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { persistedStateSchema, type PersistedState } from "./state-schema";

const FILE_NAME = "litellm-state.json";

/**
 * JSON snapshot of the LiteLLM stand-in, so keys and spend survive a restart of
 * `npm run dev` like they survive a LiteLLM restart (its PostgreSQL).
 */
export class StateFile {
  readonly path: string;
  private timer: NodeJS.Timeout | undefined;
  private pending: (() => PersistedState) | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    dir: string,
    private readonly debounceMs = 200,
  ) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, FILE_NAME);
  }

  load(): PersistedState | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    const parsed = persistedStateSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      // Refuse to start rather than silently dropping keys someone relies on.
      throw new Error(`Invalid sandbox state in ${this.path}: ${parsed.error.message}. Delete the file to start fresh.`);
    }
    return parsed.data;
  }

  /** Coalesces bursts of changes (a streaming chat books spend once per call). */
  schedule(snapshot: () => PersistedState): void {
    this.pending = snapshot;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.writeNow();
    }, this.debounceMs);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.writeNow();
  }

  private writeNow(): Promise<void> {
    const snapshot = this.pending;
    this.pending = undefined;
    if (!snapshot) return this.writing;
    // Serialize writes; tmp+rename makes each one atomic for readers and crashes.
    this.writing = this.writing.then(async () => {
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(snapshot(), null, 1));
      await rename(tmp, this.path);
    }).catch((err: unknown) => {
      // Keep serving: a failed snapshot is retried with the next change.
      console.error(`[sandbox litellm] could not write ${this.path}:`, err);
    });
    return this.writing;
  }
}
