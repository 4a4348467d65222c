// One schema for the whole app; each domain owns its own tables file.
export * from "../analytics/converted/schema.ts";
export * from "../analytics/schema.ts";
export * from "../audit/schema.ts";
export * from "../auth/schema.ts";
export * from "../catalog/schema.ts";
export * from "../customers/schema.ts";
export * from "../fx/schema.ts";
export * from "../jobs/schema.ts";
export * from "../monitoring/schema.ts";
export * from "../orders/schema.ts";
export * from "../payments/refunds/schema.ts";
export * from "../payments/schema.ts";
export * from "../subscriptions/schema.ts";
