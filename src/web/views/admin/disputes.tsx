import { DISPUTE_VIEWS, type DisputeListRow, type DisputeView } from "../../../payments/index.ts";
import { DisputesList } from "./order-refunds.tsx";

/** Disputes for ops: open ones first, the nearest evidence deadline at the top. */
export function AdminDisputesView(props: { disputes: DisputeListRow[]; view: DisputeView; now: Date }) {
  return (
    <>
      <div class="page-head">
        <h1>Disputes</h1>
        <nav class="segmented" aria-label="Which disputes">
          {DISPUTE_VIEWS.map((v) => (
            <a href={`/admin/disputes?view=${v}`} aria-current={props.view === v ? "true" : undefined}>
              {v}
            </a>
          ))}
        </nav>
      </div>
      <p class="muted">
        Evidence is due by Stripe's deadline (<code>evidence_details.due_by</code>); answer in Stripe's
        dashboard. Inquiries are a card network's question, no money withdrawn yet.
      </p>
      <section class="panel">
        <DisputesList disputes={props.disputes} now={props.now} showOrder />
      </section>
    </>
  );
}
