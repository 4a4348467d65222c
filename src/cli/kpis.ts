import type { Command } from "commander";
import { z } from "zod";
import { type ConvertedKpis, computeConvertedKpis, computeKpis, type Kpis } from "../analytics/index.ts";
import { currencyCode } from "../shared/currencies.ts";
import { DAY_FLAG_HELP, daySchema } from "../shared/dates.ts";
import { formatMoney } from "../shared/money.ts";
import { parseFlags, printJson, printTable, withContext } from "./run.ts";

const flagsSchema = z
  .object({
    from: daySchema,
    to: daySchema,
    currency: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.union([z.literal("all"), currencyCode]))
      .optional(),
    reportingCurrency: currencyCode.optional(),
    json: z.boolean().optional(),
  })
  .refine((f) => f.reportingCurrency === undefined || f.currency === "all", {
    path: ["reportingCurrency"],
    message: "only with --currency all",
  });

const MONEY = new Set([
  "gross_revenue",
  "refunds",
  "net_revenue",
  "disputes",
  "disputes_lost",
  "fees",
  "order_revenue",
  "aov",
  "mrr",
  "arr",
  "arpa",
]);
const RATES = new Set([
  "repeat_customer_rate",
  "customer_churn_rate",
  "revenue_churn_rate",
  "net_revenue_retention",
  "gross_revenue_retention",
]);

export function registerKpis(program: Command): void {
  program
    .command("kpis")
    .description("the KPIs of a period (kpis.md), from the daily snapshots")
    .requiredOption("--from <day>", `first day, ${DAY_FLAG_HELP} (inclusive)`)
    .requiredOption("--to <day>", `last day, ${DAY_FLAG_HELP} (inclusive)`)
    .option(
      "--currency <code>",
      "currency (default: the one with the most succeeded charges); all: every currency converted",
    )
    .option(
      "--reporting-currency <code>",
      "with --currency all: the currency to convert into (default REPORTING_CURRENCY)",
    )
    .option("--json", "print the kpis JSON")
    .action(async (raw) => {
      const flags = parseFlags(flagsSchema, raw);
      await withContext(async (ctx) => {
        const period = { from: flags.from, to: flags.to, livemode: ctx.config.livemode };
        if (flags.currency === "all") {
          const converted = await computeConvertedKpis(ctx, {
            ...period,
            reportingCurrency: flags.reportingCurrency,
          });
          printKpis(converted, convertedTable, flags.json);
        } else
          printKpis(await computeKpis(ctx, { ...period, currency: flags.currency }), kpiTable, flags.json);
      });
    });
}

/** The KPIs as their JSON, or as a table of one row per KPI. */
function printKpis<K>(kpis: K, table: (k: K) => Array<{ kpi: string; value: string }>, json?: boolean): void {
  if (json) printJson(kpis);
  else printTable(table(kpis), ["kpi", "value"]);
}

/** One row per KPI, money formatted in the period's currency, rates as percentages. */
export function kpiTable(k: Kpis): Array<{ kpi: string; value: string }> {
  const rows: Array<{ kpi: string; value: string }> = [];
  for (const [key, value] of Object.entries(k)) {
    if (key === "mrr_movements") {
      for (const [m, v] of Object.entries(k.mrr_movements))
        rows.push({ kpi: `mrr_${m}`, value: formatMoney(v, k.currency) });
    } else rows.push({ kpi: key, value: display(key, value, k.currency) });
  }
  return rows;
}

/** The converted view's rows: money in the reporting currency, then where the rates came from. */
export function convertedTable(k: ConvertedKpis): Array<{ kpi: string; value: string }> {
  const rows: Array<{ kpi: string; value: string }> = [];
  for (const [key, value] of Object.entries(k)) {
    if (key === "fx") continue;
    if (key === "mrr_movements") {
      for (const m of ["new", "expansion", "contraction", "churn", "reactivation", "fx", "net"] as const)
        rows.push({
          kpi: `mrr_${m}`,
          value: display("mrr", k.mrr_movements?.[m] ?? null, k.reporting_currency),
        });
    } else rows.push({ kpi: key, value: display(key, value, k.reporting_currency) });
  }
  rows.push({ kpi: "fx_source", value: k.fx.source ?? "—" });
  for (const m of k.fx.missing)
    rows.push({
      kpi: "fx_missing",
      value: `${m.pair}: ${m.days.length} day(s) from ${m.days[0]} to ${m.days[m.days.length - 1]}`,
    });
  return rows;
}

function display(key: string, value: unknown, currency: string): string {
  if (value === null) return "—";
  if (typeof value === "number" && MONEY.has(key)) return formatMoney(value, currency);
  if (typeof value === "number" && RATES.has(key)) return `${(value * 100).toFixed(2)}%`;
  return String(value);
}
