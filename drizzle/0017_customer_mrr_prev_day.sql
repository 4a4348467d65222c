DROP INDEX "snap_customer_mrr_day_idx";--> statement-breakpoint
ALTER TABLE "snap_customer_mrr" ADD COLUMN "prev_day" date DEFAULT '-infinity' NOT NULL;--> statement-breakpoint
UPDATE "snap_customer_mrr" m SET "prev_day" = p."prev_day"
FROM (
  SELECT "livemode", "currency", "customer_key", "day",
         lag("day", 1, '-infinity') OVER (PARTITION BY "livemode", "currency", "customer_key" ORDER BY "day") AS "prev_day"
  FROM "snap_customer_mrr"
) p
WHERE m."livemode" = p."livemode" AND m."currency" = p."currency" AND m."customer_key" = p."customer_key"
  AND m."day" = p."day" AND m."prev_day" IS DISTINCT FROM p."prev_day";--> statement-breakpoint
CREATE INDEX "snap_customer_mrr_day_idx" ON "snap_customer_mrr" USING btree ("livemode","currency","day","prev_day","valid_to","prev_mrr","mrr");
