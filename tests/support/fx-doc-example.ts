/**
 * The converted-view example of docs/kpi_definitions.md ("Reporting currency"): three currencies
 * (USD, JPY with no decimals, KWD with three), ECB-style rates per euro with a JPY rate change on
 * Thursday 2026-03-05 and a KWD change on Friday 2026-03-06, and a Saturday charge converted at
 * Friday's rate. Every number in the doc is computed by hand from these rows.
 */
import type { Db } from "../../src/db/client.ts";
import { parseEcbCsv, saveRates } from "../../src/fx/index.ts";
import { fixedClock } from "../../src/shared/clock.ts";
import { makeCharge, makeRefund } from "./builders/ledger.ts";
import { makeOrder } from "./builders/orders.ts";
import { makeSubscriptionState } from "./builders/subscriptions.ts";

export const FX_DOC_PERIOD = { from: "2026-03-02", to: "2026-03-08", timezone: "UTC" } as const;

export const FX_DOC_RATES = `Date,USD,JPY,KWD
2026-03-06,1.25,250,0.5
2026-03-05,1.25,250,0.4
2026-02-27,1.25,200,0.4
`;

export async function loadFxDocExample(db: Db): Promise<void> {
  await saveRates({ db, clock: fixedClock("2026-03-09T00:00:00Z") }, parseEcbCsv(FX_DOC_RATES, "rates.csv"));

  await makeCharge(db, { amount: 10000, currency: "usd", created: "2026-03-02T10:00:00Z", fee: 320 });
  const yen = await makeCharge(db, {
    amount: 1500,
    currency: "jpy",
    created: "2026-03-03T10:00:00Z",
    fee: null,
  });
  await makeCharge(db, { amount: 1500, currency: "jpy", created: "2026-03-03T11:00:00Z", fee: null });
  await makeCharge(db, { amount: 1234, currency: "kwd", created: "2026-03-04T10:00:00Z", fee: null });
  await makeCharge(db, { amount: 2001, currency: "kwd", created: "2026-03-07T10:00:00Z", fee: null });
  await makeRefund(db, { chargeId: yen.id, amount: 1000, currency: "jpy", created: "2026-03-06T10:00:00Z" });

  await makeOrder(db, { customerId: 1, paidAt: "2026-03-02T12:00:00Z", amountTotal: 5000 });
  await makeOrder(db, { customerId: 2, paidAt: "2026-03-03T12:00:00Z", currency: "jpy", amountTotal: 3000 });
  await makeOrder(db, { customerId: 2, paidAt: "2026-03-04T12:00:00Z", currency: "kwd", amountTotal: 1500 });

  const sub = (
    id: string,
    customerId: number,
    currency: string,
    unitAmount: number,
    created: string,
    status = "active",
  ) =>
    makeSubscriptionState(db, {
      subscriptionId: id,
      customerId,
      currency,
      items: [{ unitAmount }],
      created,
      status,
    });
  await sub("sub_A", 1, "usd", 3000, "2026-02-10T09:00:00Z");
  await sub("sub_B", 2, "jpy", 4000, "2026-02-15T09:00:00Z");
  await sub("sub_C", 3, "kwd", 10000, "2026-02-20T09:00:00Z");
  await sub("sub_D", 2, "kwd", 2000, "2026-03-03T09:00:00Z");
  await sub("sub_C", 3, "kwd", 10000, "2026-03-04T09:00:00Z", "canceled");
}
