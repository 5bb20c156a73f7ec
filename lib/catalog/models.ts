/**
 * The models the platform serves, by their LiteLLM `model_name` (what keys and tenants are
 * granted). Later the GitOps catalog adds serving details; access control only needs the ids.
 */
export const MODEL_CATALOG = [
  { id: "qwen2.5-0.5b-instruct", name: "Qwen2.5 0.5B Instruct", servedName: "Qwen/Qwen2.5-0.5B-Instruct" },
  { id: "llama-3.1-8b-instruct", name: "Llama 3.1 8B Instruct", servedName: "meta-llama/Llama-3.1-8B-Instruct" },
  { id: "llama-3.1-70b-instruct", name: "Llama 3.1 70B Instruct", servedName: "meta-llama/Llama-3.1-70B-Instruct" },
] as const;

export type CatalogModelId = (typeof MODEL_CATALOG)[number]["id"];
export const MODEL_IDS = MODEL_CATALOG.map((m) => m.id) as [CatalogModelId, ...CatalogModelId[]];

export function modelName(id: string): string {
  return MODEL_CATALOG.find((m) => m.id === id)?.name ?? id;
}
