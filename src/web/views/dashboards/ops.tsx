import type { SessionUser } from "../../../auth/index.ts";
import type { CsvRecord } from "../../../exports/pack.ts";
import type { Issue, Severity } from "../../../monitoring/index.ts";
import type { Order } from "../../../orders/index.ts";
import { count, money } from "../components/format.ts";
import { RangeSelector } from "../components/range-selector.tsx";
import { Layout } from "../layout.tsx";
import { convertedRecordsHref, recordsHref } from "../records/links.ts";
import { CurrencyNotices } from "./currency-notices.tsx";
import { type CurrencyView, pickerOf } from "./currency-view.ts";
import { DisputesTable } from "./disputes-table.tsx";
import { BacklogTable, FailedEventsTable, IssuesTable, PendingTable } from "./ops-tables.tsx";
import { RefundsTable, shownTotal } from "./refunds-table.tsx";

/**
 * In the converted view refund and dispute rows carry `shown_amount`, the amount converted into the
 * reporting currency (null when the rate is missing).
 */
export interface OpsData extends CurrencyView {
  now: Date;
  severity: Record<Severity, number>;
  issues: Issue[];
  openIssues: number;
  backlog: CsvRecord[];
  slaHours: number;
  failedEvents: CsvRecord[];
  refunds: CsvRecord[];
  /** Disputes opened in the period, inquiries flagged (finance disputes.csv rows). */
  disputes: CsvRecord[];
  pending: Order[];
  pendingTotal: number;
  ttlMinutes: number;
}

export function OpsPage(props: {
  user: SessionUser | null;
  csrfToken: string;
  data: OpsData;
  canReplay: boolean;
}) {
  const { data } = props;
  const overSla = data.backlog.filter((o) => o.over_sla === true).length;
  const refundTotal = shownTotal(data.refunds.filter((r) => r.counts_in_refunds));
  const converted = data.converted !== undefined;
  return (
    <Layout title="Operations" user={props.user} csrfToken={props.csrfToken} path="/dashboard/ops">
      <div class="page-head">
        <div>
          <h1>Operations</h1>
          <p class="muted">
            What needs a person today: exceptions, backlog, failed events, refunds
            {converted
              ? `; refunds and disputes of every currency, converted into ${data.currency.toUpperCase()} at each day's rate.`
              : "."}
          </p>
        </div>
        <RangeSelector path="/dashboard/ops" range={data.range} {...pickerOf(data)} />
      </div>
      {data.converted && data.converted.missing.length > 0 ? (
        <CurrencyNotices path="/dashboard/ops" view={data} />
      ) : null}
      <section class="kpi-section" aria-label="At a glance">
        <h2>At a glance</h2>
        <div class="grid cards">
          <Stat
            label="Critical issues"
            value={data.severity.critical}
            tone={data.severity.critical ? "bad" : "good"}
            href="/monitoring/issues?status=open&severity=critical"
          />
          <Stat
            label="Warnings"
            value={data.severity.warning}
            tone={data.severity.warning ? "warn" : "good"}
            href="/monitoring/issues?status=open&severity=warning"
          />
          <Stat
            label="Awaiting fulfillment"
            value={data.backlog.length}
            note={`${overSla} over the ${data.slaHours} h SLA`}
            tone={overSla ? "warn" : "good"}
            href="#backlog"
          />
          <Stat
            label="Failed webhook events"
            value={data.failedEvents.length}
            tone={data.failedEvents.length ? "bad" : "good"}
            href="#failed-events"
          />
          <Stat
            label="Pending checkouts"
            value={data.pendingTotal}
            note={`expire after ${data.ttlMinutes} min`}
            href="#pending"
          />
          <article class="card stat" data-stat="refunds" data-kpi="refunds">
            <h3 class="label">Refunds in period</h3>
            <p class="value">
              <a
                class="value-link"
                href={
                  converted
                    ? (convertedRecordsHref("refunds", data.range, data.currency) ?? undefined)
                    : recordsHref("refunds", data.range, data.currency)
                }
                title="The refunds behind this figure"
                data-value={refundTotal ?? ""}
              >
                {money(refundTotal, data.currency)}
              </a>
            </p>
            <p class="muted">{count(data.refunds.length)} refund(s)</p>
          </article>
        </div>
      </section>
      <section class="panel" id="exceptions">
        <h2>Open data-quality issues</h2>
        <IssuesTable issues={data.issues} total={data.openIssues} />
      </section>
      <div class="grid two">
        <section class="panel" id="backlog">
          <h2>Fulfillment backlog</h2>
          <BacklogTable orders={data.backlog} slaHours={data.slaHours} />
        </section>
        <section class="panel" id="pending">
          <h2>Pending orders near their expiry</h2>
          <PendingTable orders={data.pending} now={data.now} ttlMinutes={data.ttlMinutes} />
        </section>
      </div>
      <section class="panel" id="failed-events">
        <h2>Failed webhook events</h2>
        <FailedEventsTable
          events={data.failedEvents}
          canReplay={props.canReplay}
          csrfToken={props.csrfToken}
        />
      </section>
      <section class="panel" id="refunds">
        <h2>Refunds in the period by reason</h2>
        <RefundsTable
          refunds={data.refunds}
          currency={data.currency}
          range={data.range}
          converted={converted}
        />
      </section>
      <section class="panel" id="disputes">
        <h2>Disputes and inquiries</h2>
        <DisputesTable disputes={data.disputes} currency={data.currency} converted={converted} />
        <p>
          <a href="/admin/disputes">Open disputes and their evidence deadlines →</a>
        </p>
      </section>
    </Layout>
  );
}

function Stat(props: {
  label: string;
  value: number;
  note?: string;
  tone?: "good" | "bad" | "warn";
  href: string;
}) {
  return (
    <article class={`card stat${props.tone ? ` tone-${props.tone}` : ""}`}>
      <h3 class="label">{props.label}</h3>
      <p class="value">
        <a class="value-link" href={props.href}>
          {count(props.value)}
        </a>
      </p>
      {props.note ? <p class="muted">{props.note}</p> : null}
    </article>
  );
}
