import type { ServiceContext } from "../context.ts";
import { isKnownCurrency } from "../shared/currencies.ts";
import { checkDay, isTimeZone } from "../shared/dates.ts";
import { ValidationError } from "../shared/errors.ts";
import type { ResolvedParams } from "./assemble.ts";
import { endOfPeriod, startOfDay } from "./core/periods.ts";
import { defaultCurrency, snapshotDefaultCurrency } from "./queries/currency.ts";
import type { KpiParams } from "./types.ts";

/** Longest period a KPI request may cover (about 10 years), against accidental huge loops. */
const MAX_DAYS = 3700;

function checkTimezone(timezone: string): void {
  if (!isTimeZone(timezone)) {
    throw new ValidationError(`timezone: unknown time zone "${timezone}"`, "timezone");
  }
}

/**
 * Validate the period, fill the default currency (from raw tables or snapshots, on `ctx.readDb`) and
 * the reporting time zone (`ctx.config.reportingTimezone` unless the caller chose one), and compute
 * the period's instants.
 */
export async function resolveParams(
  ctx: ServiceContext,
  p: KpiParams,
  source: "raw" | "snapshots" = "raw",
): Promise<ResolvedParams & { start: Date; end: Date }> {
  const from = checkDay(p.from, "from");
  const to = checkDay(p.to, "to");
  const timezone = p.timezone ?? ctx.config.reportingTimezone;
  if (to < from) throw new ValidationError("to: must be on or after from", "to");
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_DAYS)
    throw new ValidationError(`to: a period covers at most ${MAX_DAYS} days`, "to");
  checkTimezone(timezone);
  const livemode = p.livemode ?? false;
  let currency = p.currency?.toLowerCase();
  if (currency !== undefined && !/^[a-z]{3}$/.test(currency))
    throw new ValidationError("currency: expected a 3-letter ISO currency code", "currency");
  if (currency !== undefined && !isKnownCurrency(currency))
    throw new ValidationError(`currency: unknown ISO currency code "${currency}"`, "currency");
  currency ??= await (source === "snapshots" ? snapshotDefaultCurrency : defaultCurrency)(ctx, livemode);
  return {
    from,
    to,
    timezone,
    currency,
    livemode,
    start: startOfDay(from, timezone),
    end: endOfPeriod(to, timezone),
  };
}
