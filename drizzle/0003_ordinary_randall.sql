CREATE TABLE "coupons" (
	"id" text PRIMARY KEY NOT NULL,
	"percent_off" real,
	"amount_off" integer,
	"currency" text,
	"livemode" boolean NOT NULL,
	"source_event_created" timestamp with time zone NOT NULL
);
