CREATE TABLE "refund_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text,
	"fingerprint" text NOT NULL,
	"order_id" integer NOT NULL,
	"charge_id" text NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"reason" text NOT NULL,
	"metadata" jsonb NOT NULL,
	"actor" jsonb NOT NULL,
	"refundable_after" integer NOT NULL,
	"status" text NOT NULL,
	"refund_id" text,
	"last_error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created" timestamp with time zone NOT NULL,
	"updated" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "refund_requests_order_idx" ON "refund_requests" USING btree ("order_id","status");--> statement-breakpoint
CREATE INDEX "refund_requests_key_idx" ON "refund_requests" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "refund_requests_status_idx" ON "refund_requests" USING btree ("status","updated");