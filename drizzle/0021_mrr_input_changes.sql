CREATE TABLE "mrr_input_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Every statement that changes what the MRR stages read leaves one row in mrr_input_changes, in its
-- own transaction, whoever runs it. Statement triggers with transition tables: a statement that
-- changed no row (an upsert that did nothing) leaves none.
CREATE FUNCTION "note_mrr_input_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A TRUNCATE trigger has no transition table: its branch must not name one.
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO "mrr_input_changes" ("source") VALUES (TG_TABLE_NAME);
  ELSIF EXISTS (SELECT 1 FROM changed) THEN
    INSERT INTO "mrr_input_changes" ("source") VALUES (TG_TABLE_NAME);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "subscription_history_mrr_insert" AFTER INSERT ON "subscription_history" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
--> statement-breakpoint
CREATE TRIGGER "subscription_history_mrr_update" AFTER UPDATE ON "subscription_history" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
--> statement-breakpoint
CREATE TRIGGER "subscription_history_mrr_delete" AFTER DELETE ON "subscription_history" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
--> statement-breakpoint
CREATE TRIGGER "subscription_history_mrr_truncate" AFTER TRUNCATE ON "subscription_history" FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
--> statement-breakpoint
CREATE TRIGGER "discounts_mrr_insert" AFTER INSERT ON "discounts" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
--> statement-breakpoint
CREATE TRIGGER "discounts_mrr_update" AFTER UPDATE ON "discounts" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
--> statement-breakpoint
CREATE TRIGGER "discounts_mrr_delete" AFTER DELETE ON "discounts" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
--> statement-breakpoint
CREATE TRIGGER "discounts_mrr_truncate" AFTER TRUNCATE ON "discounts" FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
--> statement-breakpoint
CREATE TRIGGER "coupons_mrr_insert" AFTER INSERT ON "coupons" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
--> statement-breakpoint
CREATE TRIGGER "coupons_mrr_update" AFTER UPDATE ON "coupons" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
--> statement-breakpoint
CREATE TRIGGER "coupons_mrr_delete" AFTER DELETE ON "coupons" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
--> statement-breakpoint
CREATE TRIGGER "coupons_mrr_truncate" AFTER TRUNCATE ON "coupons" FOR EACH STATEMENT EXECUTE FUNCTION "note_mrr_input_change"();
