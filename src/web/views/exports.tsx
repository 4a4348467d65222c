import type { SessionUser } from "../../auth/index.ts";
import { PACK_FILES, type PackName } from "../../exports/index.ts";
import { Alert } from "./components/alert.tsx";
import { Layout } from "./layout.tsx";

const PACKS: Record<PackName, { title: string; summary: string }> = {
  finance: {
    title: "Finance pack",
    summary:
      "Orders and lines paid in the period, payments, refunds, disputes, a revenue summary per day and currency that equals the KPIs, subscriptions and invoices.",
  },
  ops: {
    title: "Ops pack",
    summary:
      "Paid orders waiting for fulfillment with their age against the SLA, open and recently resolved data-quality issues, failed webhook events.",
  },
  bi: {
    title: "BI pack (star schema)",
    summary:
      "Facts for order lines, payments, refunds and daily subscription MRR with date, customer and product dimensions, for Power BI or a warehouse. Customers are pseudonymous.",
  },
};

export interface ExportsPageProps {
  user: SessionUser | null;
  csrfToken: string;
  packs: PackName[];
  piiAllowed: boolean;
  defaultFrom: string;
  defaultTo: string;
  timezone: string;
}

/** One download form per pack the role may use; downloads are GETs, so no CSRF token is needed. */
export function ExportsPage(props: ExportsPageProps) {
  return (
    <Layout title="Exports" user={props.user} csrfToken={props.csrfToken} path="/exports">
      <div class="page-head">
        <h1>Exports</h1>
        <p class="muted">
          Zip of UTF-8 CSV files and a manifest. Days are cut in {props.timezone}.{" "}
          <a href="/docs/exports">Column reference</a>
        </p>
      </div>
      {props.packs.length === 0 ? (
        <Alert kind="warn">Your role may not download any export pack.</Alert>
      ) : null}
      <div class="grid two">
        {props.packs.map((pack) => (
          <section class="panel export-pack" aria-labelledby={`pack-${pack}`}>
            <h2 id={`pack-${pack}`}>{PACKS[pack].title}</h2>
            <p class="muted">{PACKS[pack].summary}</p>
            {/* data-download: app.js fetches the zip, shows that it is being prepared, then saves it. */}
            <form class="form inline" method="get" action={`/exports/${pack}.zip`} data-download="">
              <label>
                From
                <input type="date" name="from" value={props.defaultFrom} required />
              </label>
              <label>
                To
                <input type="date" name="to" value={props.defaultTo} required />
              </label>
              {pack === "bi" && props.piiAllowed ? (
                <label class="checkbox">
                  <input type="checkbox" name="pii" value="1" /> Include customer e-mail and name (PII,
                  audited)
                </label>
              ) : null}
              <button type="submit" class="button primary" data-busy-label="Preparing the zip…">
                Download zip
              </button>
              <output class="download-status muted" aria-live="polite" />
            </form>
            <details class="pack-files">
              <summary>Files</summary>
              <ul>
                {PACK_FILES[pack].map((file) => (
                  <li>
                    <code>{file.name}</code>
                  </li>
                ))}
                <li>
                  <code>manifest.json</code>
                </li>
              </ul>
            </details>
          </section>
        ))}
      </div>
    </Layout>
  );
}
