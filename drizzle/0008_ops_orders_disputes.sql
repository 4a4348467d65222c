ALTER TABLE "disputes" ADD COLUMN "evidence_due_by" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "snap_customer_mrr_customer_idx" ON "snap_customer_mrr" USING btree ("customer_key","livemode");--> statement-breakpoint
CREATE INDEX "customers_email_search_idx" ON "customers" USING btree (lower("email") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_name_search_idx" ON "customers" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "orders_status_created_idx" ON "orders" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_customer_created_idx" ON "orders" USING btree ("customer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "charges_customer_idx" ON "charges" USING btree ("stripe_customer_id");--> statement-breakpoint
CREATE INDEX "disputes_order_idx" ON "disputes" USING btree ("order_id");