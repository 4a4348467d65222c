import { can, type Role } from "../../../auth/index.ts";
import { Chart } from "../components/chart.tsx";
import { type Column, DataTable } from "../components/data-table.tsx";
import { count, dateTime, money, NONE } from "../components/format.ts";
import { StatusBadge } from "../shop/orders.tsx";
import type { CustomerProfile } from "./load-profile.ts";
import { byCurrency, mrrTimelineChart, signed } from "./mrr-timeline.ts";
import {
  AuditSection,
  DisputesSection,
  IssuesSection,
  PaymentsSection,
  RefundsSection,
  Section,
  SubscriptionsSection,
  WishlistSection,
} from "./profile-sections.tsx";

type Order = CustomerProfile["orders"][number];

function IdentityPanel(props: { profile: CustomerProfile }) {
  const { identity: who, stripeCustomerId, createdAt } = props.profile;
  const withheld = who.anonymisedAt ? "erased (anonymised)" : "withheld: pseudonymised for your role";
  return (
    <section class="panel profile-identity" aria-label="Identity">
      <dl class="facts">
        <dt>Customer id</dt>
        <dd>{who.id}</dd>
        <dt>E-mail</dt>
        <dd data-field="email">{who.email ?? <span class="muted">{withheld}</span>}</dd>
        <dt>Country</dt>
        <dd>{who.country ?? NONE}</dd>
        <dt>Stripe customer</dt>
        <dd>
          <code>{stripeCustomerId ?? NONE}</code>
        </dd>
        <dt>Customer since</dt>
        <dd>{dateTime(createdAt)}</dd>
        <dt>BI customer key</dt>
        <dd class="break">
          <code>{who.key}</code>
        </dd>
      </dl>
    </section>
  );
}

/** Current MRR per currency: the last snapshot point of each. */
function currentMrr(profile: CustomerProfile): string {
  const parts = [...byCurrency(profile.mrr)].map(([currency, points]) =>
    money(points[points.length - 1]!.mrr, currency),
  );
  return parts.length ? parts.join(" · ") : money(0, profile.subscriptions[0]?.currency ?? "usd");
}

function Summary(props: { profile: CustomerProfile }) {
  const p = props.profile;
  const active = p.subscriptions.filter((s) => s.mrr > 0).length;
  const cards: Array<[string, string]> = [
    ["Orders", count(p.orderCount)],
    ["MRR now", currentMrr(p)],
    ["Paying subscriptions", count(active)],
    ["Open data-quality issues", count(p.issues.filter((i) => i.status === "open").length)],
  ];
  return (
    <div class="grid cards profile-summary">
      {cards.map(([label, value]) => (
        <article class="card">
          <h3 class="label">{label}</h3>
          <p class="value">{value}</p>
        </article>
      ))}
    </div>
  );
}

function MrrSection(props: { profile: CustomerProfile; today: string }) {
  const currencies = [...byCurrency(props.profile.mrr)];
  const movements = props.profile.mrr.filter((p) => p.movement !== null);
  return (
    <Section id="mrr" title="MRR timeline and movements">
      <p class="muted">
        Customer MRR at the end of each day it changed, from the daily snapshots the MRR KPIs read (kpis.md:
        active and past-due subscriptions, normalised to a month, after discounts).
      </p>
      {currencies.length === 0 ? <p class="muted">No MRR history for this customer.</p> : null}
      {currencies.map(([currency, points]) => {
        const chart = mrrTimelineChart(currency, points, props.today);
        return (
          <Chart
            title={`MRR (${currency.toUpperCase()})`}
            option={chart.option}
            table={chart.table}
            height={240}
          />
        );
      })}
      <DataTable
        caption="Movements"
        empty={<p class="muted">No MRR movements.</p>}
        rows={movements}
        columns={[
          { header: "Day", cell: (m) => m.day },
          {
            header: "Movement",
            cell: (m) => <span class={`badge movement ${m.movement}`}>{m.movement}</span>,
          },
          { header: "Change", numeric: true, cell: (m) => signed(m.mrr - m.prevMrr, m.currency) },
          { header: "MRR after", numeric: true, cell: (m) => money(m.mrr, m.currency) },
        ]}
      />
    </Section>
  );
}

const ORDER_COLUMNS: Column<Order>[] = [
  { header: "Order", rowHeader: true, cell: (o) => <a href={`/admin/orders/${o.number}`}>{o.number}</a> },
  { header: "Placed", cell: (o) => dateTime(o.createdAt) },
  { header: "Status", cell: (o) => <StatusBadge status={o.status} /> },
  { header: "Total", numeric: true, cell: (o) => money(o.amountTotal, o.currency) },
  {
    header: "Refunded",
    numeric: true,
    cell: (o) => (o.amountRefunded ? money(o.amountRefunded, o.currency) : NONE),
  },
];

export function CustomerProfileView(props: { profile: CustomerProfile; role: Role; today: string }) {
  const p = props.profile;
  const who = p.identity;
  const orderNumbers = new Map(p.orders.map((o) => [o.id, o.number]));
  return (
    <div class="customer-profile">
      <div class="page-head">
        <div>
          <p class="muted eyebrow">Customer #{who.id}</p>
          <h1 data-customer-name>{who.name}</h1>
        </div>
        <p>
          {who.anonymisedAt ? <span class="badge warn">anonymised {dateTime(who.anonymisedAt)}</span> : null}
          {!who.anonymisedAt && who.pseudonymised ? <span class="badge info">pseudonymised</span> : null}
        </p>
      </div>
      <IdentityPanel profile={p} />
      <Summary profile={p} />
      <Section id="orders" title="Orders" shown={p.orders.length} total={p.orderCount}>
        <DataTable columns={ORDER_COLUMNS} rows={p.orders} empty={<p class="muted">No orders.</p>} />
      </Section>
      <PaymentsSection charges={p.ledger.charges} orderNumbers={orderNumbers} />
      <RefundsSection refunds={p.ledger.refunds} orderNumbers={orderNumbers} />
      <DisputesSection disputes={p.ledger.disputes} />
      <SubscriptionsSection subscriptions={p.subscriptions} />
      <MrrSection profile={p} today={props.today} />
      <WishlistSection wishlist={p.wishlist} linkProducts={can(props.role, "catalog.manage")} />
      <IssuesSection issues={p.issues} />
      <AuditSection events={p.audit} people={p.people} />
    </div>
  );
}
