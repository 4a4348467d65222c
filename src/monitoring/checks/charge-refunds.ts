import { sql } from "drizzle-orm";
import { CAPTURED_AMOUNT } from "../../analytics/money-rules.ts";
import { charges, refunds } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import type { Check } from "../types.ts";

type Row = {
  charge_id: string;
  currency: string;
  created_day: string;
  amount_refunded: number;
  refunded_captured: number | string;
  known: number | string;
};

/**
 * A charge's refunded captured money (`amount_refunded` less the authorization money released
 * without capture) equals its known succeeded refund objects. When the charge shows more, the
 * difference counts as a provisional refund (kpis.md `refunds`) until the refund objects are fetched.
 */
export const chargeRefunds: Check = {
  name: "charge-refunds",
  description:
    "Each charge's amount_refunded (less authorization money released without capture) equals its known succeeded refunds.",
  severity: "warning",
  fix: "Fetch the missing refund objects from Stripe with the command in the issue, `revintel stripe sync --since <day the charge was created>` (it lists the charge with its refunds and every refund since that day); the provisional refund is then replaced by the real ones. If the refund events are not subscribed to, add refund.created and refund.updated to the webhook endpoint.",
  async run({ db, config }) {
    const rows = await queryRows<Row>(
      db,
      sql`WITH known AS (
            SELECT ${refunds.chargeId} AS charge_id, sum(${refunds.amount}) AS total FROM ${refunds}
            WHERE ${refunds.status} = 'succeeded' AND NOT ${refunds.provisional} AND ${refunds.chargeId} IS NOT NULL
            GROUP BY 1
          ), judged AS (
            SELECT ${charges.id} AS charge_id, lower(${charges.currency}) AS currency,
                   to_char(${charges.created} AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS created_day,
                   ${charges.amountRefunded} AS amount_refunded,
                   greatest(0, ${charges.amountRefunded} - (${charges.amount} - ${CAPTURED_AMOUNT})) AS refunded_captured,
                   coalesce(k.total, 0) AS known
            FROM ${charges} LEFT JOIN known k ON k.charge_id = ${charges.id}
            WHERE ${charges.livemode} = ${config.livemode}
          )
          SELECT * FROM judged WHERE refunded_captured <> known ORDER BY charge_id`,
    );
    return rows.map((r) => {
      const refundedCaptured = Number(r.refunded_captured);
      const known = Number(r.known);
      const command = `revintel stripe sync --since ${r.created_day}`;
      return {
        fingerprint: `charge:${r.charge_id}`,
        title: `Charge ${r.charge_id} shows ${refundedCaptured} refunded, its known refunds ${known} ${r.currency}: run \`${command}\``,
        details: {
          chargeId: r.charge_id,
          currency: r.currency,
          amountRefunded: Number(r.amount_refunded),
          refundedCaptured,
          knownRefunds: known,
          difference: refundedCaptured - known,
          command,
        },
      };
    });
  },
};
