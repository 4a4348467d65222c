import { sql } from "drizzle-orm";
import { subscriptions } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import { SUBSCRIPTION_STATUSES } from "../../subscriptions/schema.ts";
import type { Check, Finding } from "../types.ts";

/** The British spelling some imports carry; Stripe (and this app) only ever write `canceled`. */
const LEGACY_CANCELED = "cancelled";

type Row = { id: string; status: string; mrr: number; currency: string };

/** Subscription rows that break the KPI contract: unknown statuses, the legacy spelling, MRR when canceled. */
export const subscriptionSanity: Check = {
  name: "subscription-sanity",
  description:
    "Subscription statuses are Stripe's own (no unknown status, no `cancelled` spelling) and canceled subscriptions carry no MRR.",
  severity: "critical",
  fix: "Run `revintel stripe sync` to reload the subscription from Stripe (the handlers store Stripe's status and recompute MRR); for rows imported from elsewhere, correct the importer, then rebuild snapshots for the affected days.",
  async run({ db }) {
    const known = sql.join(
      SUBSCRIPTION_STATUSES.map((s) => sql`${s}`),
      sql`, `,
    );
    const rows = await queryRows<Row>(
      db,
      sql`SELECT ${subscriptions.id}, ${subscriptions.status}, ${subscriptions.mrr}, ${subscriptions.currency} FROM ${subscriptions}
          WHERE ${subscriptions.status} NOT IN (${known}) OR (${subscriptions.status} IN ('canceled', ${LEGACY_CANCELED}) AND ${subscriptions.mrr} > 0)
          ORDER BY ${subscriptions.id}`,
    );
    const findings: Finding[] = [];
    for (const r of rows) {
      const details = { subscriptionId: r.id, status: r.status, mrr: r.mrr, currency: r.currency };
      if (r.status === LEGACY_CANCELED) {
        findings.push({
          fingerprint: `spelling:${r.id}`,
          title: `Subscription ${r.id} has status "${LEGACY_CANCELED}" (Stripe spells it "canceled")`,
          details,
        });
      } else if (!(SUBSCRIPTION_STATUSES as readonly string[]).includes(r.status)) {
        findings.push({
          fingerprint: `status:${r.id}`,
          title: `Subscription ${r.id} has status "${r.status}", which Stripe does not use`,
          details,
        });
      }
      if ((r.status === "canceled" || r.status === LEGACY_CANCELED) && r.mrr > 0) {
        findings.push({
          fingerprint: `mrr:${r.id}`,
          title: `Canceled subscription ${r.id} still counts MRR ${r.mrr} ${r.currency}`,
          details,
        });
      }
    }
    return findings;
  },
};
