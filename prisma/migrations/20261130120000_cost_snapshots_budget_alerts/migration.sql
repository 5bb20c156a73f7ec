-- CreateTable
CREATE TABLE "cost_snapshots" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "idle_sharing" TEXT NOT NULL DEFAULT 'none',
    "gpu_milli_hours" INTEGER NOT NULL DEFAULT 0,
    "gpu_cost_cents" INTEGER NOT NULL DEFAULT 0,
    "cpu_cost_cents" INTEGER NOT NULL DEFAULT 0,
    "ram_cost_cents" INTEGER NOT NULL DEFAULT 0,
    "pv_cost_cents" INTEGER NOT NULL DEFAULT 0,
    "idle_share_cents" INTEGER NOT NULL DEFAULT 0,
    "token_spend_micros" BIGINT NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cost_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cost_breakdowns" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "dimension" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "token_spend_micros" BIGINT NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "gpu_milli_hours" INTEGER NOT NULL DEFAULT 0,
    "gpu_cost_cents" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "cost_breakdowns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budget_alerts" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "period_start" TIMESTAMP(3) NOT NULL,
    "threshold_pct" INTEGER NOT NULL,
    "crossed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "spend_cents" INTEGER NOT NULL,
    "budget_cents" INTEGER NOT NULL,
    "delivery_status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "delivered_at" TIMESTAMP(3),

    CONSTRAINT "budget_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "cost_snapshots_day_tenant_id_idx" ON "cost_snapshots"("day", "tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "cost_snapshots_tenant_id_day_source_key" ON "cost_snapshots"("tenant_id", "day", "source");

-- CreateIndex
CREATE INDEX "cost_breakdowns_tenant_id_dimension_day_idx" ON "cost_breakdowns"("tenant_id", "dimension", "day");

-- CreateIndex
CREATE UNIQUE INDEX "cost_breakdowns_tenant_id_day_dimension_value_key" ON "cost_breakdowns"("tenant_id", "day", "dimension", "value");

-- CreateIndex
CREATE INDEX "budget_alerts_tenant_id_crossed_at_idx" ON "budget_alerts"("tenant_id", "crossed_at");

-- CreateIndex
CREATE UNIQUE INDEX "budget_alerts_tenant_id_period_start_threshold_pct_key" ON "budget_alerts"("tenant_id", "period_start", "threshold_pct");

