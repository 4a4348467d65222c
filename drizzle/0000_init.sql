CREATE TABLE "dirty_days" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"day" date NOT NULL,
	"marked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "snap_cohorts" (
	"livemode" boolean NOT NULL,
	"currency" text NOT NULL,
	"cohort_month" text NOT NULL,
	"activity_month" text NOT NULL,
	"month_index" integer NOT NULL,
	"customers" integer NOT NULL,
	CONSTRAINT "snap_cohorts_livemode_currency_cohort_month_activity_month_pk" PRIMARY KEY("livemode","currency","cohort_month","activity_month")
);
--> statement-breakpoint
CREATE TABLE "snap_customer_gaps" (
	"livemode" boolean NOT NULL,
	"currency" text NOT NULL,
	"kind" text NOT NULL,
	"day" date NOT NULL,
	"gap" integer NOT NULL,
	"customers" integer NOT NULL,
	CONSTRAINT "snap_customer_gaps_livemode_currency_kind_day_gap_pk" PRIMARY KEY("livemode","currency","kind","day","gap")
);
--> statement-breakpoint
CREATE TABLE "snap_customer_mrr" (
	"livemode" boolean NOT NULL,
	"currency" text NOT NULL,
	"customer_key" text NOT NULL,
	"day" date NOT NULL,
	"mrr" bigint NOT NULL,
	"prev_mrr" bigint NOT NULL,
	"subscriptions" integer NOT NULL,
	"prev_subscriptions" integer NOT NULL,
	"movement" text,
	CONSTRAINT "snap_customer_mrr_livemode_currency_customer_key_day_pk" PRIMARY KEY("livemode","currency","customer_key","day")
);
--> statement-breakpoint
CREATE TABLE "snap_customer_orders" (
	"day" date NOT NULL,
	"currency" text NOT NULL,
	"livemode" boolean NOT NULL,
	"customer_id" integer NOT NULL,
	"orders" integer NOT NULL,
	"revenue" bigint NOT NULL,
	"orders_before" integer NOT NULL,
	"prev_gap" integer NOT NULL,
	"next_gap" integer NOT NULL,
	CONSTRAINT "snap_customer_orders_livemode_currency_day_customer_id_pk" PRIMARY KEY("livemode","currency","day","customer_id")
);
--> statement-breakpoint
CREATE TABLE "snap_daily_ledger" (
	"day" date NOT NULL,
	"currency" text NOT NULL,
	"livemode" boolean NOT NULL,
	"charges" integer NOT NULL,
	"gross_revenue" bigint NOT NULL,
	"refunds" bigint NOT NULL,
	"disputes" bigint NOT NULL,
	"fees" bigint NOT NULL,
	"fees_known" integer NOT NULL,
	CONSTRAINT "snap_daily_ledger_livemode_currency_day_pk" PRIMARY KEY("livemode","currency","day")
);
--> statement-breakpoint
CREATE TABLE "snap_daily_mrr" (
	"livemode" boolean NOT NULL,
	"currency" text NOT NULL,
	"day" date NOT NULL,
	"mrr" bigint NOT NULL,
	"subscribers" integer NOT NULL,
	"subscriptions" integer NOT NULL,
	"new_mrr" bigint NOT NULL,
	"expansion" bigint NOT NULL,
	"contraction" bigint NOT NULL,
	"churn" bigint NOT NULL,
	"reactivation" bigint NOT NULL,
	CONSTRAINT "snap_daily_mrr_livemode_currency_day_pk" PRIMARY KEY("livemode","currency","day")
);
--> statement-breakpoint
CREATE TABLE "snap_daily_orders" (
	"day" date NOT NULL,
	"currency" text NOT NULL,
	"livemode" boolean NOT NULL,
	"orders" integer NOT NULL,
	"order_revenue" bigint NOT NULL,
	"customers" integer NOT NULL,
	"new_customers" integer NOT NULL,
	CONSTRAINT "snap_daily_orders_livemode_currency_day_pk" PRIMARY KEY("livemode","currency","day")
);
--> statement-breakpoint
CREATE TABLE "snap_daily_products" (
	"day" date NOT NULL,
	"currency" text NOT NULL,
	"livemode" boolean NOT NULL,
	"product_id" integer NOT NULL,
	"units" integer NOT NULL,
	"revenue" bigint NOT NULL,
	"costed_revenue" bigint NOT NULL,
	"cost" bigint NOT NULL,
	"costed_lines" integer NOT NULL,
	CONSTRAINT "snap_daily_products_livemode_currency_day_product_id_pk" PRIMARY KEY("livemode","currency","day","product_id")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_role" text,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	"ip_hash" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "login_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"key_hash" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"success" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"display_name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"customer_id" integer,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "products_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text DEFAULT 'General' NOT NULL,
	"price_amount" integer NOT NULL,
	"currency" text NOT NULL,
	"unit_cost_amount" integer,
	"stock_on_hand" integer DEFAULT 0 NOT NULL,
	"allow_preorder" boolean DEFAULT false NOT NULL,
	"preorder_limit" integer,
	"preorder_ship_date" date,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_sku_unique" UNIQUE("sku"),
	CONSTRAINT "products_price_nonneg" CHECK ("products"."price_amount" >= 0),
	CONSTRAINT "products_stock_floor" CHECK ("products"."stock_on_hand" >= 0 OR ("products"."allow_preorder" AND ("products"."preorder_limit" IS NULL OR "products"."stock_on_hand" >= -"products"."preorder_limit")))
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_movements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"delta" integer NOT NULL,
	"reason" text NOT NULL,
	"idempotency_key" text,
	"order_id" integer,
	"note" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_movements_idempotencyKey_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"name" text NOT NULL,
	"country" text,
	"stripe_customer_id" text,
	"livemode" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"stripe_updated_at" timestamp with time zone,
	"anonymized_at" timestamp with time zone,
	CONSTRAINT "customers_stripeCustomerId_unique" UNIQUE("stripe_customer_id")
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"job" text NOT NULL,
	"slot" timestamp with time zone NOT NULL,
	"worker" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"error" text,
	"items" integer,
	CONSTRAINT "job_runs_job_slot_pk" PRIMARY KEY("job","slot")
);
--> statement-breakpoint
CREATE TABLE "data_quality_issues" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "data_quality_issues_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"check" text NOT NULL,
	"fingerprint" text NOT NULL,
	"severity" text NOT NULL,
	"title" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"occurrences" integer DEFAULT 1 NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"resolution_note" text
);
--> statement-breakpoint
CREATE TABLE "cart_items" (
	"customer_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cart_items_customer_id_product_id_pk" PRIMARY KEY("customer_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "order_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "order_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"order_id" integer NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "order_lines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "order_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"order_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_amount" integer NOT NULL,
	"unit_cost_amount" integer,
	"amount_total" integer NOT NULL,
	"is_preorder" boolean DEFAULT false NOT NULL,
	"restocked_quantity" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "order_lines_qty_positive" CHECK ("order_lines"."quantity" > 0),
	CONSTRAINT "order_lines_restock_bounds" CHECK ("order_lines"."restocked_quantity" >= 0 AND "order_lines"."restocked_quantity" <= "order_lines"."quantity")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "orders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"number" text NOT NULL,
	"customer_id" integer NOT NULL,
	"status" text NOT NULL,
	"currency" text NOT NULL,
	"amount_subtotal" integer NOT NULL,
	"amount_total" integer NOT NULL,
	"amount_refunded" integer DEFAULT 0 NOT NULL,
	"livemode" boolean DEFAULT false NOT NULL,
	"stripe_checkout_session_id" text,
	"stripe_payment_intent_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"fulfilled_at" timestamp with time zone,
	"canceled_at" timestamp with time zone,
	"refunded_at" timestamp with time zone,
	"stock_released_at" timestamp with time zone,
	"cancel_reason" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "orders_number_unique" UNIQUE("number"),
	CONSTRAINT "orders_stripeCheckoutSessionId_unique" UNIQUE("stripe_checkout_session_id"),
	CONSTRAINT "orders_stripePaymentIntentId_unique" UNIQUE("stripe_payment_intent_id"),
	CONSTRAINT "orders_refund_bounds" CHECK ("orders"."amount_refunded" >= 0 AND "orders"."amount_refunded" <= "orders"."amount_total")
);
--> statement-breakpoint
CREATE TABLE "wishlist_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "wishlist_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"order_id" integer
);
--> statement-breakpoint
CREATE TABLE "wishlist_items" (
	"customer_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "wishlist_items_customer_id_product_id_pk" PRIMARY KEY("customer_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "charges" (
	"id" text PRIMARY KEY NOT NULL,
	"amount" integer NOT NULL,
	"amount_refunded" integer DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"paid" boolean DEFAULT false NOT NULL,
	"created" timestamp with time zone NOT NULL,
	"livemode" boolean NOT NULL,
	"stripe_customer_id" text,
	"payment_intent_id" text,
	"invoice_id" text,
	"order_id" integer,
	"fee" integer,
	"failure_code" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_event_created" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" text PRIMARY KEY NOT NULL,
	"charge_id" text NOT NULL,
	"order_id" integer,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"created" timestamp with time zone NOT NULL,
	"livemode" boolean NOT NULL,
	"source_event_created" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"charge_id" text,
	"payment_intent_id" text,
	"order_id" integer,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"created" timestamp with time zone NOT NULL,
	"livemode" boolean NOT NULL,
	"note" text,
	"restock" boolean DEFAULT false NOT NULL,
	"requested_by" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_event_created" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"created" timestamp with time zone NOT NULL,
	"livemode" boolean NOT NULL,
	"api_version" text,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"received_seq" integer GENERATED ALWAYS AS IDENTITY (sequence name "stripe_events_received_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"processed_at" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"source" text DEFAULT 'webhook' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" text PRIMARY KEY NOT NULL,
	"subscription_id" text,
	"stripe_customer_id" text,
	"status" text NOT NULL,
	"currency" text NOT NULL,
	"amount_due" integer NOT NULL,
	"amount_paid" integer NOT NULL,
	"charge_id" text,
	"created" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"livemode" boolean NOT NULL,
	"source_event_created" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"product_name" text NOT NULL,
	"nickname" text,
	"currency" text NOT NULL,
	"unit_amount" integer NOT NULL,
	"interval" text NOT NULL,
	"interval_count" integer DEFAULT 1 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"livemode" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscription_history" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "subscription_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"subscription_id" text NOT NULL,
	"event_id" text NOT NULL,
	"event_created" timestamp with time zone NOT NULL,
	"received_seq" integer NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"customer_id" integer,
	"status" text NOT NULL,
	"currency" text NOT NULL,
	"items" jsonb NOT NULL,
	"percent_off" real,
	"current_period_start" timestamp with time zone,
	"canceled_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"livemode" boolean NOT NULL,
	"mrr" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"customer_id" integer,
	"status" text NOT NULL,
	"currency" text NOT NULL,
	"items" jsonb NOT NULL,
	"percent_off" real,
	"current_period_start" timestamp with time zone,
	"current_period_end" timestamp with time zone,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"canceled_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"trial_end" timestamp with time zone,
	"created" timestamp with time zone NOT NULL,
	"livemode" boolean NOT NULL,
	"mrr" integer DEFAULT 0 NOT NULL,
	"source_event_created" timestamp with time zone NOT NULL,
	"source_event_seq" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "snap_customer_mrr_day_idx" ON "snap_customer_mrr" USING btree ("livemode","currency","day");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "login_attempts_key_at_idx" ON "login_attempts" USING btree ("key_hash","at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "products_category_idx" ON "products" USING btree ("category");--> statement-breakpoint
CREATE INDEX "stock_movements_product_idx" ON "stock_movements" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "customers_email_idx" ON "customers" USING btree ("email");--> statement-breakpoint
CREATE INDEX "job_runs_started_idx" ON "job_runs" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dq_issues_active_uq" ON "data_quality_issues" USING btree ("check","fingerprint") WHERE "data_quality_issues"."status" IN ('open', 'ignored');--> statement-breakpoint
CREATE INDEX "dq_issues_status_idx" ON "data_quality_issues" USING btree ("status","severity");--> statement-breakpoint
CREATE INDEX "dq_issues_check_idx" ON "data_quality_issues" USING btree ("check","last_seen");--> statement-breakpoint
CREATE INDEX "order_events_order_idx" ON "order_events" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_lines_order_idx" ON "order_lines" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_lines_product_idx" ON "order_lines" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status");--> statement-breakpoint
CREATE INDEX "orders_paid_at_idx" ON "orders" USING btree ("paid_at");--> statement-breakpoint
CREATE INDEX "orders_created_at_idx" ON "orders" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "wishlist_events_product_idx" ON "wishlist_events" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wishlist_events_conv_uq" ON "wishlist_events" USING btree ("order_id","product_id");--> statement-breakpoint
CREATE INDEX "charges_created_idx" ON "charges" USING btree ("created");--> statement-breakpoint
CREATE INDEX "charges_order_idx" ON "charges" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "charges_pi_idx" ON "charges" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE INDEX "disputes_created_idx" ON "disputes" USING btree ("created");--> statement-breakpoint
CREATE INDEX "refunds_created_idx" ON "refunds" USING btree ("created");--> statement-breakpoint
CREATE INDEX "refunds_charge_idx" ON "refunds" USING btree ("charge_id");--> statement-breakpoint
CREATE INDEX "refunds_order_idx" ON "refunds" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "stripe_events_status_idx" ON "stripe_events" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "stripe_events_type_idx" ON "stripe_events" USING btree ("type");--> statement-breakpoint
CREATE INDEX "invoices_sub_idx" ON "invoices" USING btree ("subscription_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_history_event_uq" ON "subscription_history" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "subscription_history_sub_idx" ON "subscription_history" USING btree ("subscription_id","event_created");--> statement-breakpoint
CREATE INDEX "subscription_history_unlinked_idx" ON "subscription_history" USING btree ("stripe_customer_id") WHERE "customer_id" IS NULL;--> statement-breakpoint
CREATE INDEX "subscriptions_customer_idx" ON "subscriptions" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "subscriptions_unlinked_idx" ON "subscriptions" USING btree ("stripe_customer_id") WHERE "customer_id" IS NULL;