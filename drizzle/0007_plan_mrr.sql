CREATE TABLE "snap_plan_mrr" (
	"livemode" boolean NOT NULL,
	"currency" text NOT NULL,
	"plan_id" text NOT NULL,
	"day" date NOT NULL,
	"mrr" bigint NOT NULL,
	"subscriptions" integer NOT NULL,
	CONSTRAINT "snap_plan_mrr_livemode_currency_plan_id_day_pk" PRIMARY KEY("livemode","currency","plan_id","day")
);
