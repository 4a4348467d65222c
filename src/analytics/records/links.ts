/** Where a Stripe object opens in the Stripe Dashboard (test-mode objects under /test). */
export function stripeDashboardUrl(id: string | null, livemode: boolean): string | null {
  if (!id) return null;
  const path = STRIPE_PATHS.find(([prefix]) => id.startsWith(prefix))?.[1];
  if (!path) return null;
  return `https://dashboard.stripe.com/${livemode ? "" : "test/"}${path}/${encodeURIComponent(id)}`;
}

/** Id prefix → Dashboard path (charges and payment intents both open under payments). */
const STRIPE_PATHS: ReadonlyArray<readonly [string, string]> = [
  ["ch_", "payments"],
  ["py_", "payments"],
  ["pi_", "payments"],
  ["re_", "refunds"],
  ["pyr_", "refunds"],
  ["dp_", "disputes"],
  ["du_", "disputes"],
  ["cus_", "customers"],
  ["sub_", "subscriptions"],
  ["evt_", "events"],
  ["in_", "invoices"],
];
