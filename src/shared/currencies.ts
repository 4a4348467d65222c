import { z } from "zod";

/**
 * Stripe's currency table: which ISO 4217 codes Stripe accepts as presentment currencies and how
 * many decimals an API amount carries in each (its exponent). The one place that decides how an
 * amount is shown, exported, charted and parsed (kpis.md "Ground rules").
 *
 * Source: Stripe's "Supported currencies" page (docs.stripe.com/currencies): the presentment
 * currency list, "Zero-decimal currencies", "Three-decimal currencies" and "Special cases"; and
 * Stripe's support note "Deprecation of fractional ISK charges and refunds" (April 2023).
 *
 * Special cases, as Stripe states them:
 * - ISK became effectively zero-decimal, but stays two-decimal in the API: an amount of 100 is
 *   1 króna and amounts are whole multiples of 100. Exponent 2.
 * - HUF and TWD are zero-decimal for payouts only; charges take two-decimal amounts. Exponent 2.
 * - UGX is on the zero-decimal list for charges. Exponent 0.
 * - BHD, JOD, KWD, OMR, TND are three-decimal (Stripe asks that the last digit be 0 when charging,
 *   which does not change how an amount is read). Exponent 3.
 */
const ZERO_DECIMAL = new Set([
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "ugx",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
]);

const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

/** Stripe's presentment currencies (ISO 4217, lower case as Stripe sends them). */
const STRIPE_CURRENCIES = new Set(
  (
    "aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp byn bzd " +
    "cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq " +
    "gyd hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd kzt lak lbp lkr lrd " +
    "lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk " +
    "php pkr pln pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs tnd top " +
    "try ttd twd tzs uah ugx usd uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw"
  ).split(" "),
);

/** Whether Stripe knows `code` as a currency (case-insensitive). */
export function isKnownCurrency(code: string): boolean {
  return STRIPE_CURRENCIES.has(code.toLowerCase());
}

/**
 * Decimals of an API amount in `code`: 0, 2 or 3. A code outside the table (only old stored data
 * could carry one; every input is validated) is read as two-decimal, Stripe's default.
 */
export function currencyExponent(code: string): 0 | 2 | 3 {
  const c = code.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** Stripe's currencies whose exponent is `exponent`, for SQL that converts amounts per row. */
export function currenciesWithExponent(exponent: 0 | 2 | 3): string[] {
  return [...STRIPE_CURRENCIES].filter((code) => currencyExponent(code) === exponent);
}

/** A currency input: three letters Stripe knows, lower-cased; the message names the rule. */
export const currencyCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{3}$/, "must be a 3-letter ISO currency code")
  .refine(isKnownCurrency, "unknown ISO currency code");
