/**
 * The sandbox's model catalog: what the LiteLLM stand-in routes and the
 * model-server simulator serves. Prices are USD per token, as LiteLLM's
 * `input_cost_per_token` / `output_cost_per_token`.
 */
export interface SandboxModel {
  /** Public model name clients send to LiteLLM (LiteLLM's `model_name` / model group). */
  id: string;
  /** Name the model server serves it under (vLLM `--served-model-name`). */
  servedModelName: string;
  inputCostPerToken: number;
  outputCostPerToken: number;
  maxModelLen: number;
}

const PER_MILLION = 1_000_000;

export const SANDBOX_MODELS: readonly SandboxModel[] = [
  {
    id: "qwen2.5-0.5b-instruct",
    servedModelName: "Qwen/Qwen2.5-0.5B-Instruct",
    inputCostPerToken: 0.02 / PER_MILLION,
    outputCostPerToken: 0.06 / PER_MILLION,
    maxModelLen: 32768,
  },
  {
    id: "llama-3.1-8b-instruct",
    servedModelName: "meta-llama/Llama-3.1-8B-Instruct",
    inputCostPerToken: 0.1 / PER_MILLION,
    outputCostPerToken: 0.3 / PER_MILLION,
    maxModelLen: 131072,
  },
  {
    id: "llama-3.1-70b-instruct",
    servedModelName: "meta-llama/Llama-3.1-70B-Instruct",
    inputCostPerToken: 0.6 / PER_MILLION,
    outputCostPerToken: 1.8 / PER_MILLION,
    maxModelLen: 131072,
  },
];

export function findSandboxModel(id: string): SandboxModel | undefined {
  return SANDBOX_MODELS.find((m) => m.id === id);
}

/** Cost of one call in USD, as LiteLLM computes it from the response `usage`. */
export function costOf(model: SandboxModel, promptTokens: number, completionTokens: number): number {
  return promptTokens * model.inputCostPerToken + completionTokens * model.outputCostPerToken;
}
