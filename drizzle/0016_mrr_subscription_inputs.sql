CREATE TABLE "snap_mrr_subscriptions" (
	"livemode" boolean NOT NULL,
	"subscription_id" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "snap_mrr_subscriptions_livemode_subscription_id_pk" PRIMARY KEY("livemode","subscription_id")
);
