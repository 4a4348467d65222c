import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge, makeRefund } from "../../../tests/support/builders/ledger.ts";
import { expectFailThenPass, gate } from "../../../tests/support/check-workflow.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { upsertRefund } from "../../payments/ledger/refunds.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

describe("charge-refunds", () => {
  it("names a charge whose amount_refunded exceeds its known refunds with the sync command, then passes once the refund is known", async () => {
    // 6000 captured, Stripe says 2500 refunded; no refund object known.
    const charge = await makeCharge(ctx.db, {
      amount: 6000,
      amountCaptured: 6000,
      captured: true,
      amountRefunded: 2500,
      created: new Date("2026-06-03T09:00:00Z"),
    });
    const details = await expectFailThenPass(ctx, "charge-refunds", `charge:${charge.id}`, () =>
      ctx.db.transaction((tx) =>
        upsertRefund(
          ctx,
          tx,
          {
            id: "re_found_by_sync",
            chargeId: charge.id,
            paymentIntentId: null,
            amount: 2500,
            currency: "usd",
            status: "succeeded",
            reason: null,
            created: new Date("2026-06-05T10:00:00Z"),
            metadata: {},
            releasesAuthorization: false,
          },
          new Date("2026-06-05T10:00:00Z"),
          false,
        ),
      ),
    );
    expect(details).toMatchObject({
      chargeId: charge.id,
      refundedCaptured: 2500,
      knownRefunds: 0,
      difference: 2500,
      command: "revintel stripe sync --since 2026-06-03",
    });
  });

  it("does not count the authorization released by a partial capture as a missing refund", async () => {
    // 8000 authorized, 5000 captured: Stripe marks the released 3000 in amount_refunded.
    await makeCharge(ctx.db, { amount: 8000, amountCaptured: 5000, captured: true, amountRefunded: 3000 });
    // 4000 captured of 4000, 1000 refunded and known.
    const known = await makeCharge(ctx.db, {
      amount: 4000,
      amountCaptured: 4000,
      captured: true,
      amountRefunded: 1000,
    });
    await makeRefund(ctx.db, { chargeId: known.id, amount: 1000 });
    expect(await gate(ctx, "charge-refunds")).toBe(0);
  });
});
