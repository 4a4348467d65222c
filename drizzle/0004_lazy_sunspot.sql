CREATE TABLE "refund_idempotency_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"refund_id" text NOT NULL,
	"order_id" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "refund_idempotency_keys_created_idx" ON "refund_idempotency_keys" USING btree ("created");