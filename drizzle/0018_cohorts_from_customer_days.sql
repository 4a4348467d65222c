CREATE TABLE "snap_built_days" (
	"day" date PRIMARY KEY NOT NULL,
	"timezone" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "snap_customer_orders" ADD COLUMN "first_day" date;