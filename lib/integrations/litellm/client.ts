import { z } from "zod";
import { env } from "@/lib/config/env";
import { callJson } from "@/lib/integrations/http";
import {
  deleteKeysSchema,
  errorEnvelopeSchema,
  fastApiErrorSchema,
  generateKeyResponseSchema,
  keyInfoSchema,
  keyListSchema,
  keyRowSchema,
  modelInfoSchema,
  spendLogRowSchema,
  teamInfoSchema,
  teamSchema,
  teamUpdateSchema,
} from "./schemas";

const MAX_KEY_PAGES = 50;

export type LiteLLMConfig = { baseUrl: string; masterKey: string; timeoutMs: number };

export type TeamSpec = {
  team_id: string;
  team_alias?: string;
  models: string[];
  max_budget: number;
  budget_duration: string;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  metadata?: Record<string, unknown>;
};

export type GenerateKeyInput = {
  /** The secret, chosen by the portal so a retry after a timeout can be reconciled by hash. */
  key: string;
  key_alias: string;
  team_id: string;
  user_id?: string;
  models: string[];
  max_budget?: number | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  duration: string;
  metadata?: Record<string, unknown>;
};

function describeError(status: number, body: unknown): { message: string; type?: string } {
  const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
  const envelope = errorEnvelopeSchema.safeParse(body);
  if (envelope.success) return { message: text(envelope.data.error.message), type: envelope.data.error.type ?? undefined };
  const fastApi = fastApiErrorSchema.safeParse(body);
  if (fastApi.success) return { message: text(fastApi.data.detail) };
  return { message: `LiteLLM answered ${status}` };
}

export function litellmConfigFromEnv(): LiteLLMConfig {
  const config = env();
  return { baseUrl: config.LITELLM_URL, masterKey: config.LITELLM_MASTER_KEY, timeoutMs: config.LITELLM_TIMEOUT_MS };
}

/** Typed client for the LiteLLM proxy's management API. No business rules here. */
export function createLiteLLMClient(config: LiteLLMConfig = litellmConfigFromEnv()) {
  const call = <T>(operation: string, path: string, schema: z.ZodType<T>, init: { method?: "GET" | "POST"; body?: unknown; idempotent?: boolean } = {}) =>
    callJson({
      system: "litellm",
      operation,
      url: `${config.baseUrl}${path}`,
      method: init.method ?? "GET",
      body: init.body,
      headers: { authorization: `Bearer ${config.masterKey}` },
      schema,
      timeoutMs: config.timeoutMs,
      idempotent: init.idempotent ?? (init.method ?? "GET") === "GET",
      describeError,
    });

  return {
    health: () => call("health", "/health/liveliness", z.unknown()),
    createTeam: (spec: TeamSpec) => call("team_new", "/team/new", teamSchema, { method: "POST", body: spec }),
    // /team/update sets the given fields to the given values: repeating it is harmless.
    updateTeam: (spec: Partial<TeamSpec> & { team_id: string }) =>
      call("team_update", "/team/update", teamUpdateSchema, { method: "POST", body: spec, idempotent: true }),
    teamInfo: (teamId: string) =>
      call("team_info", `/team/info?team_id=${encodeURIComponent(teamId)}`, teamInfoSchema),
    generateKey: (input: GenerateKeyInput) =>
      call("key_generate", "/key/generate", generateKeyResponseSchema, { method: "POST", body: input }),
    keyInfo: (keyOrHash: string) =>
      call("key_info", `/key/info?key=${encodeURIComponent(keyOrHash)}`, keyInfoSchema),
    // LiteLLM caps page size at 100; a tenant with more keys spans several pages.
    listKeys: async (teamId: string) => {
      const rows: z.infer<typeof keyRowSchema>[] = [];
      for (let page = 1; page <= MAX_KEY_PAGES; page++) {
        const list = await call("key_list", `/key/list?team_id=${encodeURIComponent(teamId)}&return_full_object=true&size=100&page=${page}`, keyListSchema);
        for (const key of list.keys) if (typeof key !== "string") rows.push(keyRowSchema.parse(key));
        if (list.keys.length < 100 || page >= (list.total_pages ?? page)) break;
      }
      return rows;
    },
    updateKey: (input: { key: string } & Partial<Omit<GenerateKeyInput, "key">> & { blocked?: boolean }) =>
      call("key_update", "/key/update", keyRowSchema.partial().loose(), { method: "POST", body: input, idempotent: true }),
    deleteKeys: (keysOrHashes: string[]) =>
      call("key_delete", "/key/delete", deleteKeysSchema, { method: "POST", body: { keys: keysOrHashes } }),
    /**
     * Individual spend rows with startTime in [startDate, endDate] (YYYY-MM-DD, both at midnight
     * UTC, as LiteLLM compares them): callers wanting one day pass the next day as endDate and
     * drop rows stamped exactly at that midnight. LiteLLM does not filter by team here.
     */
    spendLogs: (range: { startDate: string; endDate: string }) =>
      call(
        "spend_logs",
        `/spend/logs?start_date=${encodeURIComponent(range.startDate)}&end_date=${encodeURIComponent(range.endDate)}&summarize=false`,
        z.array(spendLogRowSchema),
      ),
    /** Deployments with their per-token prices (`model_info.output_cost_per_token`, USD). */
    modelInfo: async () => (await call("model_info", "/model/info", modelInfoSchema)).data,
    regenerateKey: (keyOrHash: string, newKey: string) =>
      call("key_regenerate", `/key/${encodeURIComponent(keyOrHash)}/regenerate`, generateKeyResponseSchema, {
        method: "POST",
        body: { key: keyOrHash, new_key: newKey },
      }),
  };
}

export type LiteLLMClient = ReturnType<typeof createLiteLLMClient>;

const holder = globalThis as typeof globalThis & { __portalLiteLLM?: LiteLLMClient };

/** The process's client, configured from the environment (one instance, so caches keyed by it work). */
export function litellmFromEnv(): LiteLLMClient {
  return (holder.__portalLiteLLM ??= createLiteLLMClient());
}
