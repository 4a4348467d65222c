import type { Command } from "commander";
import { z } from "zod";
import { computeKpis, type Kpis } from "../analytics/index.ts";
import { currencyCode } from "../shared/currencies.ts";
import { DAY_FLAG_HELP, daySchema } from "../shared/dates.ts";
import { formatMoney } from "../shared/money.ts";
import { parseFlags, printJson, printTable, withContext } from "./run.ts";

const flagsSchema = z.object({
  from: daySchema,
  to: daySchema,
  currency: currencyCode.optional(),
  json: z.boolean().optional(),
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
    .option("--currency <code>", "currency (default: the one with the most succeeded charges)")
    .option("--json", "print the kpis JSON")
    .action(async (raw) => {
      const flags = parseFlags(flagsSchema, raw);
      await withContext(async (ctx) => {
        const kpis = await computeKpis(ctx, {
          from: flags.from,
          to: flags.to,
          currency: flags.currency,
          livemode: ctx.config.livemode,
        });
        if (flags.json) printJson(kpis);
        else printTable(kpiTable(kpis), ["kpi", "value"]);
      });
    });
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

function display(key: string, value: unknown, currency: string): string {
  if (value === null) return "—";
  if (typeof value === "number" && MONEY.has(key)) return formatMoney(value, currency);
  if (typeof value === "number" && RATES.has(key)) return `${(value * 100).toFixed(2)}%`;
  return String(value);
}
