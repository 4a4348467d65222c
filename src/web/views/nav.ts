import type { Role } from "../../auth/index.ts";
import { can, type Permission } from "../../auth/index.ts";

export interface NavItem {
  href: string;
  label: string;
  /** null: shown to customers and visitors (storefront). */
  permission: Permission | null;
  area: "shop" | "staff";
}

/** Navigation shown per role: only what the role may open. */
export const NAV: NavItem[] = [
  { href: "/", label: "Shop", permission: null, area: "shop" },
  { href: "/cart", label: "Cart", permission: "shop.buy", area: "shop" },
  { href: "/orders", label: "My orders", permission: "shop.buy", area: "shop" },
  { href: "/wishlist", label: "Wishlist", permission: "wishlist.use", area: "shop" },
  { href: "/dashboard", label: "Executive", permission: "dashboard.executive", area: "staff" },
  { href: "/dashboard/ops", label: "Ops", permission: "dashboard.ops", area: "staff" },
  { href: "/dashboard/products", label: "Products", permission: "dashboard.products", area: "staff" },
  {
    href: "/dashboard/subscriptions",
    label: "Subscriptions",
    permission: "dashboard.subscriptions",
    area: "staff",
  },
  { href: "/admin/orders", label: "Orders", permission: "orders.view_all", area: "staff" },
  { href: "/admin/products", label: "Catalog", permission: "catalog.manage", area: "staff" },
  { href: "/monitoring/issues", label: "Data quality", permission: "monitoring.view", area: "staff" },
  { href: "/webhooks/events", label: "Webhooks", permission: "webhooks.view", area: "staff" },
  { href: "/exports", label: "Exports", permission: "exports.view", area: "staff" },
  { href: "/audit", label: "Audit", permission: "audit.view", area: "staff" },
  { href: "/admin/users", label: "Users", permission: "users.manage", area: "staff" },
];

export function navFor(role: Role | null): NavItem[] {
  const staff = role !== null && role !== "customer";
  return NAV.filter((item) => {
    if (item.permission === null) return !staff;
    return can(role, item.permission);
  });
}
