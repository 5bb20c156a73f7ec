-- CreateTable
CREATE TABLE "change_requests" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "requester_id" TEXT NOT NULL,
    "requester_email" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "files" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "cost_delta_cents" INTEGER,
    "branch" TEXT NOT NULL,
    "pr_number" INTEGER,
    "pr_url" TEXT,
    "head_sha" TEXT,
    "merge_sha" TEXT,
    "argo_app" TEXT,
    "synced_revision" TEXT,
    "rollback_of_id" UUID,
    "failure_reason" TEXT,
    "decided_by_id" TEXT,
    "decision_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "change_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_events" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT,
    "actor_email" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "detail" JSONB,

    CONSTRAINT "request_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "delivery_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("delivery_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "change_requests_number_key" ON "change_requests"("number");

-- CreateIndex
CREATE UNIQUE INDEX "change_requests_branch_key" ON "change_requests"("branch");

-- CreateIndex
CREATE INDEX "change_requests_tenant_id_created_at_idx" ON "change_requests"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "change_requests_status_idx" ON "change_requests"("status");

-- CreateIndex
CREATE INDEX "request_events_request_id_at_idx" ON "request_events"("request_id", "at");

-- AddForeignKey
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "change_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

