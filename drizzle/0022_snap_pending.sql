CREATE TABLE "snap_pending" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"target" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"order_id" integer,
	"charge_id" text
);
--> statement-breakpoint
ALTER TABLE "dirty_days" ADD COLUMN "arrivals_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "snap_pending_target_at_idx" ON "snap_pending" USING btree ("target","at");