CREATE INDEX "dq_issues_fingerprint_idx" ON "data_quality_issues" USING btree ("fingerprint");--> statement-breakpoint
CREATE INDEX "disputes_charge_idx" ON "disputes" USING btree ("charge_id");