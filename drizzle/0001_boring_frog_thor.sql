CREATE TABLE "discounts" (
	"id" text PRIMARY KEY NOT NULL,
	"subscription_id" text,
	"stripe_customer_id" text,
	"coupon_id" text,
	"percent_off" real,
	"amount_off" integer,
	"currency" text,
	"start" timestamp with time zone,
	"end" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"livemode" boolean NOT NULL,
	"source_event_created" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoice_payments" (
	"id" text PRIMARY KEY NOT NULL,
	"invoice_id" text NOT NULL,
	"status" text NOT NULL,
	"currency" text NOT NULL,
	"amount_paid" integer,
	"charge_id" text,
	"payment_intent_id" text,
	"paid_at" timestamp with time zone,
	"livemode" boolean NOT NULL,
	"source_event_created" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "payment_intent_id" text;--> statement-breakpoint
ALTER TABLE "subscription_history" ADD COLUMN "discount_ids" jsonb;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "discount_ids" jsonb;--> statement-breakpoint
CREATE INDEX "discounts_subscription_idx" ON "discounts" USING btree ("subscription_id");--> statement-breakpoint
CREATE INDEX "invoice_payments_invoice_idx" ON "invoice_payments" USING btree ("invoice_id");