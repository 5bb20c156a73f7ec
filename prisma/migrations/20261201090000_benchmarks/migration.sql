-- CreateTable
CREATE TABLE "benchmark_runs" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "tenant_id" TEXT,
    "deployment_namespace" TEXT,
    "deployment_name" TEXT,
    "change_request_id" UUID,
    "endpoint_kind" TEXT,
    "model" TEXT,
    "serving_layer" TEXT,
    "gpu_type" TEXT,
    "gpu_count" INTEGER,
    "config" JSONB NOT NULL,
    "progress" JSONB,
    "overall" JSONB,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "created_by_id" TEXT,
    "created_by_email" TEXT NOT NULL,
    "error" TEXT,
    "locked_by" TEXT,
    "locked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "benchmark_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "benchmark_steps" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "load_kind" TEXT NOT NULL,
    "load" DOUBLE PRECISION,
    "achieved_rate" DOUBLE PRECISION,
    "duration_s" DOUBLE PRECISION,
    "completed" INTEGER,
    "failed" INTEGER,
    "input_tokens" DOUBLE PRECISION,
    "output_tokens" DOUBLE PRECISION,
    "request_throughput" DOUBLE PRECISION,
    "output_throughput" DOUBLE PRECISION,
    "total_throughput" DOUBLE PRECISION,
    "goodput" DOUBLE PRECISION,
    "error_rate" DOUBLE PRECISION,
    "ttft_mean" DOUBLE PRECISION,
    "ttft_p50" DOUBLE PRECISION,
    "ttft_p90" DOUBLE PRECISION,
    "ttft_p95" DOUBLE PRECISION,
    "ttft_p99" DOUBLE PRECISION,
    "itl_mean" DOUBLE PRECISION,
    "itl_p50" DOUBLE PRECISION,
    "itl_p90" DOUBLE PRECISION,
    "itl_p95" DOUBLE PRECISION,
    "itl_p99" DOUBLE PRECISION,
    "tpot_mean" DOUBLE PRECISION,
    "tpot_p50" DOUBLE PRECISION,
    "tpot_p90" DOUBLE PRECISION,
    "tpot_p95" DOUBLE PRECISION,
    "tpot_p99" DOUBLE PRECISION,
    "e2e_mean" DOUBLE PRECISION,
    "e2e_p50" DOUBLE PRECISION,
    "e2e_p90" DOUBLE PRECISION,
    "e2e_p95" DOUBLE PRECISION,
    "e2e_p99" DOUBLE PRECISION,
    "sched_delay_p50" DOUBLE PRECISION,
    "sched_delay_p99" DOUBLE PRECISION,
    "window_start" TIMESTAMP(3),
    "window_end" TIMESTAMP(3),
    "server" JSONB,
    "flags" TEXT[],
    "samples" BYTEA,
    "itl_histogram" JSONB,

    CONSTRAINT "benchmark_steps_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "benchmark_runs_tenant_id_created_at_idx" ON "benchmark_runs"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "benchmark_runs_deployment_namespace_deployment_name_idx" ON "benchmark_runs"("deployment_namespace", "deployment_name");

-- CreateIndex
CREATE INDEX "benchmark_runs_status_idx" ON "benchmark_runs"("status");

-- CreateIndex
CREATE UNIQUE INDEX "benchmark_steps_run_id_index_key" ON "benchmark_steps"("run_id", "index");

-- AddForeignKey
ALTER TABLE "benchmark_steps" ADD CONSTRAINT "benchmark_steps_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "benchmark_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The platform's published reference figures (issue 6): Qwen2.5-0.5B-Instruct on 1 × NVIDIA L4
-- with raw vLLM. Only the figures that were published are filled; everything else stays NULL.
INSERT INTO "benchmark_runs" ("id", "name", "source", "status", "tenant_id", "endpoint_kind", "model", "serving_layer", "gpu_type", "gpu_count", "config", "created_by_email", "created_at", "started_at", "finished_at")
VALUES ('00000000-0000-4000-8000-00000000b001', 'Reference: Qwen2.5-0.5B-Instruct on 1 × L4 (raw vLLM, published figures)', 'reference', 'succeeded', NULL, 'direct',
        'Qwen/Qwen2.5-0.5B-Instruct', 'vllm', 'L4', 1,
        '{"note":"Imported reference data: the platform''s published figures, not a run measured by this portal.","sweep":{"kind":"concurrency","levels":[1,32]}}',
        'reference data', '2026-01-01T00:00:00Z', NULL, NULL);

INSERT INTO "benchmark_steps" ("id", "run_id", "index", "load_kind", "load", "ttft_p50", "flags")
VALUES ('00000000-0000-4000-8000-00000000b101', '00000000-0000-4000-8000-00000000b001', 0, 'concurrency', 1, 27, ARRAY['reference']::TEXT[]);

INSERT INTO "benchmark_steps" ("id", "run_id", "index", "load_kind", "load", "ttft_p50", "output_throughput", "server", "flags")
VALUES ('00000000-0000-4000-8000-00000000b132', '00000000-0000-4000-8000-00000000b001', 1, 'concurrency', 32, 135, 3773,
        '{"gpuUtilization":1,"kvCacheUsage":0.011,"waiting":0}', ARRAY['reference']::TEXT[]);
