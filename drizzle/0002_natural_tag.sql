ALTER TABLE "snap_daily_ledger" ADD COLUMN "disputes_lost" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "charges" ADD COLUMN "amount_captured" integer;--> statement-breakpoint
ALTER TABLE "charges" ADD COLUMN "captured" boolean;--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "lost_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "provisional" boolean DEFAULT false NOT NULL;