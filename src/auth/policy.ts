/**
 * The RBAC policy: one table, role → permissions. Routes declare the permission they need;
 * `docs/rbac_matrix.md` is generated from this table (`npm run docs:rbac`), and a test fails when stale.
 */
export const ROLES = ["customer", "ops", "analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  "shop.buy": "Use a cart, check out, see own orders",
  "wishlist.use": "Keep a wishlist",
  "catalog.manage": "Create and edit products, adjust stock",
  "orders.view_all": "See every customer's orders",
  "orders.manage": "Fulfill and cancel orders",
  "refunds.create": "Refund orders (partial or full), with restock choice",
  "dashboard.executive": "Executive dashboard (revenue, MRR, churn, NRR)",
  "dashboard.ops": "Ops dashboard (exceptions, refunds, backlog, failed webhooks)",
  "dashboard.products": "Product dashboard (best sellers, margin, stock, wishlist demand)",
  "dashboard.subscriptions": "Subscription dashboard (MRR movements, churn, cohorts)",
  "kpis.read": "KPI and series API",
  "records.view":
    "The records behind a dashboard figure (drill-down), for the figures the role's dashboards show",
  "customers.view": "Customer profiles (pseudonymised where governance requires)",
  "customers.pii":
    "Customer names and e-mails on profiles and in search, and search by them (others see pseudonyms)",
  "search.use": "Global search (orders, customers, Stripe ids, products)",
  "monitoring.view": "See data-quality issues",
  "monitoring.resolve": "Resolve or ignore data-quality issues",
  "audit.view": "Audit log viewer and its CSV export",
  "exports.view": "Exports page",
  "exports.finance": "Finance export pack",
  "exports.ops": "Ops export pack",
  "exports.bi": "BI export pack (pseudonymous)",
  "exports.pii": "BI export pack with customer PII",
  "users.manage": "Create users, change roles, deactivate, API tokens",
  "webhooks.view": "Stored Stripe webhook events, their payloads and errors",
  "webhooks.replay": "Replay failed Stripe events",
  "snapshots.rebuild": "Rebuild KPI snapshots",
} as const;
export type Permission = keyof typeof PERMISSIONS;

export const POLICY: Record<Role, readonly Permission[]> = {
  customer: ["shop.buy", "wishlist.use"],
  ops: [
    "catalog.manage",
    "orders.view_all",
    "orders.manage",
    "refunds.create",
    "dashboard.ops",
    "dashboard.products",
    "monitoring.view",
    "monitoring.resolve",
    "exports.view",
    "exports.ops",
    "records.view",
    "customers.view",
    "customers.pii",
    "search.use",
    "webhooks.view",
    "webhooks.replay",
  ],
  analyst: [
    "orders.view_all",
    "dashboard.executive",
    "dashboard.ops",
    "dashboard.products",
    "dashboard.subscriptions",
    "kpis.read",
    "monitoring.view",
    "exports.view",
    "exports.finance",
    "exports.bi",
    "records.view",
    "customers.view",
    "search.use",
  ],
  admin: (Object.keys(PERMISSIONS) as Permission[]).filter((p) => p !== "shop.buy" && p !== "wishlist.use"),
};

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role ? POLICY[role].includes(permission) : false;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
