CREATE INDEX "snap_subscription_mrr_customer_idx" ON "snap_subscription_mrr" USING btree ("customer_key");--> statement-breakpoint
CREATE INDEX "subscription_history_stripe_customer_idx" ON "subscription_history" USING btree ("stripe_customer_id");--> statement-breakpoint
CREATE INDEX "subscription_history_customer_idx" ON "subscription_history" USING btree ("customer_id");