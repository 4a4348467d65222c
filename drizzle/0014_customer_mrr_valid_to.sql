ALTER TABLE "snap_customer_mrr" ADD COLUMN "valid_to" date DEFAULT 'infinity' NOT NULL;--> statement-breakpoint
UPDATE "snap_customer_mrr" m SET "valid_to" = n."valid_to"
FROM (
  SELECT "livemode", "currency", "customer_key", "day",
         lead("day", 1, 'infinity') OVER (PARTITION BY "livemode", "currency", "customer_key" ORDER BY "day") AS "valid_to"
  FROM "snap_customer_mrr"
) n
WHERE m."livemode" = n."livemode" AND m."currency" = n."currency" AND m."customer_key" = n."customer_key"
  AND m."day" = n."day" AND m."valid_to" IS DISTINCT FROM n."valid_to";--> statement-breakpoint
CREATE INDEX "snap_customer_mrr_paying_idx" ON "snap_customer_mrr" USING btree ("livemode","currency","valid_to","day","customer_key","mrr") WHERE "mrr" > 0;
