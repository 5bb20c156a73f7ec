import type { Route, RouteHandler } from "../route-types";

/**
 * `GET /model/info` (and `/v1/model/info`): the proxy's deployments with their pricing, as
 * LiteLLM's management API returns them — `{ data: [{ model_name, litellm_params, model_info }] }`
 * with `model_info.input_cost_per_token` / `output_cost_per_token` in USD per token. Master key
 * only (LiteLLM also lets a virtual key see its own models; the portal uses the master key). The
 * api_base of a deployment is not echoed: LiteLLM masks credentials here, the stand-in has none.
 */
const modelInfo: RouteHandler = ({ url, config }) => {
  const id = url.searchParams.get("litellm_model_id");
  const data = config.models
    .filter((m) => !id || m.id === id)
    .map((m) => ({
      model_name: m.id,
      litellm_params: { model: `hosted_vllm/${m.servedModelName}`, input_cost_per_token: m.inputCostPerToken, output_cost_per_token: m.outputCostPerToken },
      model_info: {
        id: m.id,
        db_model: false,
        mode: "chat",
        litellm_provider: "hosted_vllm",
        max_tokens: m.maxModelLen,
        max_input_tokens: m.maxModelLen,
        input_cost_per_token: m.inputCostPerToken,
        output_cost_per_token: m.outputCostPerToken,
      },
    }));
  return { body: { data } };
};

export const modelInfoRoutes: Route[] = [
  { method: "GET", path: "/model/info", auth: "master", handler: modelInfo },
  { method: "GET", path: "/v1/model/info", auth: "master", handler: modelInfo },
];
