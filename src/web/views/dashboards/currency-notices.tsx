import type { MissingRates } from "../../../analytics/index.ts";
import { NoCurrencyData } from "../components/no-data.tsx";
import type { CurrencyView } from "./currency-view.ts";
import { rangeQuery } from "./range.ts";

/**
 * What a dashboard says above its figures about its currency: the rates the converted view lacks,
 * or that the chosen currency has no data in the period.
 */
export function CurrencyNotices(props: { path: string; view: CurrencyView }) {
  const { view } = props;
  return (
    <>
      {view.converted && view.converted.missing.length > 0 ? (
        <MissingRatesNotice missing={view.converted.missing} />
      ) : null}
      {view.hasData ? null : (
        <NoCurrencyData
          path={props.path}
          range={view.range}
          currency={view.currency}
          withData={view.withData}
        />
      )}
    </>
  );
}

/** Missing rates never become zeros: the figures that need them are empty, and this says why and how to fix it. */
export function MissingRatesNotice({ missing }: { missing: MissingRates[] }) {
  return (
    <section class="panel no-data" data-missing-rates={missing.map((m) => m.pair).join(",")}>
      <h2>Exchange rates missing</h2>
      <p>Figures that need these rates are left empty, not counted as zero:</p>
      <ul>
        {missing.map((m) => (
          <li>
            {m.pair}: {m.days.length} day(s), {m.days[0]} to {m.days[m.days.length - 1]}
          </li>
        ))}
      </ul>
      <p>
        Import them with <code>revintel fx import eurofxref-hist.csv</code> (the ECB reference rates); in
        Stripe mode <code>revintel stripe sync</code> also records Stripe's realised rates.
      </p>
    </section>
  );
}

/** The sentence under a dashboard's title: what the figures are and in which currency. */
export function currencyLead(view: CurrencyView, what: string): string {
  const cur = view.currency.toUpperCase();
  return view.converted
    ? `${what} of every currency, converted into ${cur} at each day's rate.`
    : `${what} in ${cur}.`;
}

/**
 * In the converted view, a panel whose figures exist per currency only (plans, cohorts): says so and
 * links to the same page and range in each currency with data.
 */
export function PerCurrencyOnly(props: { path: string; view: CurrencyView; what: string }) {
  const { view } = props;
  return (
    <p class="empty" data-per-currency={props.what}>
      {props.what} are shown per currency:{" "}
      {view.withData.length
        ? view.withData.map((c, i) => (
            <>
              {i > 0 ? ", " : ""}
              <a href={`${props.path}${rangeQuery(view.range, { currency: c })}`}>{c.toUpperCase()}</a>
            </>
          ))
        : "no currency has data in this period"}
      .
    </p>
  );
}
