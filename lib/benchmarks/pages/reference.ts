/** The published reference run the migration inserts (Qwen2.5-0.5B-Instruct on 1 × L4, raw vLLM). */
export const REFERENCE_RUN_ID = "00000000-0000-4000-8000-00000000b001";
