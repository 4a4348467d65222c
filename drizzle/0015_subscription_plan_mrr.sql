CREATE TABLE "snap_subscription_plan_mrr" (
	"livemode" boolean NOT NULL,
	"currency" text NOT NULL,
	"plan_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"day" date NOT NULL,
	"mrr" bigint NOT NULL,
	"subscription_mrr" bigint NOT NULL,
	"customer_key" text NOT NULL,
	"valid_to" date DEFAULT 'infinity' NOT NULL,
	CONSTRAINT "snap_subscription_plan_mrr_livemode_currency_plan_id_subscription_id_day_pk" PRIMARY KEY("livemode","currency","plan_id","subscription_id","day")
);
--> statement-breakpoint
CREATE INDEX "snap_subscription_plan_mrr_paying_idx" ON "snap_subscription_plan_mrr" USING btree ("livemode","currency","plan_id","valid_to","day") WHERE "mrr" > 0;--> statement-breakpoint
-- Fill the new table on the worker's next pass: one dirty day makes it rebuild the MRR stages (their
-- fingerprint now counts this table's rows, so it differs from the stored one).
INSERT INTO "dirty_days" ("day", "marked_at") SELECT max("day"), now() FROM "snap_daily_mrr" HAVING max("day") IS NOT NULL;
