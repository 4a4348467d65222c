CREATE TABLE "snap_daily_amounts" (
	"livemode" boolean NOT NULL,
	"currency" text NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"amount" bigint NOT NULL,
	"records" integer NOT NULL,
	CONSTRAINT "snap_daily_amounts_livemode_currency_day_kind_amount_pk" PRIMARY KEY("livemode","currency","day","kind","amount")
);
--> statement-breakpoint
CREATE TABLE "snap_subscription_mrr" (
	"livemode" boolean NOT NULL,
	"currency" text NOT NULL,
	"subscription_id" text NOT NULL,
	"customer_key" text NOT NULL,
	"day" date NOT NULL,
	"mrr" bigint NOT NULL,
	CONSTRAINT "snap_subscription_mrr_livemode_subscription_id_day_pk" PRIMARY KEY("livemode","subscription_id","day")
);
--> statement-breakpoint
CREATE TABLE "fx_rates" (
	"day" date NOT NULL,
	"base" text NOT NULL,
	"quote" text NOT NULL,
	"rate" numeric(30, 12) NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fx_rates_base_quote_day_source_pk" PRIMARY KEY("base","quote","day","source")
);
--> statement-breakpoint
CREATE INDEX "fx_rates_day_idx" ON "fx_rates" USING btree ("day");