import type { SandboxModel } from "../../models";
import { costOf } from "../../models";
import type { SpendLogRow } from "../state-schema";
import { pyIso } from "../time";
import type { Caller } from "./caller";

export interface CallUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
}

export interface CallRecord {
  requestId: string;
  caller: Caller;
  model: SandboxModel;
  apiBase: string;
  usage: CallUsage;
  startTime: Date;
  completionStartTime: Date;
  endTime: Date;
  endUser: string | null;
  spendLogsMetadata: unknown;
}

/** One LiteLLM_SpendLogs row, as LiteLLM writes it after a successful call. */
export function spendLogRow(call: CallRecord): SpendLogRow {
  const { caller, model, usage } = call;
  const key = caller.kind === "key" ? caller.key : undefined;
  const team = caller.kind === "key" ? caller.team : undefined;
  const spend = costOf(model, usage.prompt_tokens, usage.completion_tokens);
  return {
    request_id: call.requestId,
    call_type: "acompletion",
    api_key: caller.token,
    spend,
    total_tokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    startTime: pyIso(call.startTime),
    endTime: pyIso(call.endTime),
    request_duration_ms: call.endTime.getTime() - call.startTime.getTime(),
    completionStartTime: pyIso(call.completionStartTime),
    model: model.servedModelName,
    model_id: model.id,
    model_group: model.id,
    custom_llm_provider: "hosted_vllm",
    api_base: call.apiBase,
    user: key?.user_id ?? "",
    metadata: {
      user_api_key: caller.token,
      user_api_key_alias: key?.key_alias ?? null,
      user_api_key_team_id: key?.team_id ?? null,
      user_api_key_user_id: key?.user_id ?? null,
      user_api_key_team_alias: team?.team_alias ?? null,
      spend_logs_metadata: call.spendLogsMetadata ?? null,
    },
    cache_hit: "False",
    cache_key: "",
    request_tags: [],
    team_id: key?.team_id ?? null,
    organization_id: null,
    end_user: call.endUser ?? "",
    requester_ip_address: null,
    // LiteLLM does not store prompts or responses unless told to.
    messages: {},
    response: {},
    session_id: null,
    status: "success",
    mcp_namespaced_tool_name: null,
    agent_id: null,
    proxy_server_request: {},
  };
}
