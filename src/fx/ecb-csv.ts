import { z } from "zod";
import { isKnownCurrency } from "../shared/currencies.ts";
import { daySchema } from "../shared/dates.ts";
import { ValidationError } from "../shared/errors.ts";
import type { FxRateRow } from "./rate-book.ts";
import { parseDecimal, toDecimal } from "./rational.ts";

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** The ECB files date rows as "2026-12-04" (history) or "04 December 2026" (the daily file). */
const ecbDay = z
  .string()
  .trim()
  .transform((text, zctx) => {
    const long = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(text);
    const month = long ? MONTHS.indexOf(long[2]!.toLowerCase()) + 1 : 0;
    const iso =
      long && month > 0 ? `${long[3]}-${String(month).padStart(2, "0")}-${long[1]!.padStart(2, "0")}` : text;
    const parsed = daySchema.safeParse(iso);
    if (!parsed.success) {
      zctx.addIssue({ code: "custom", message: `"${text}" is not a date (expected YYYY-MM-DD)` });
      return z.NEVER;
    }
    return parsed.data;
  });

/** A rate cell: a positive decimal (units of the column's currency per euro), or N/A / empty for none. */
const rateCell = z
  .string()
  .trim()
  .transform((text, zctx) => {
    if (text === "" || text.toUpperCase() === "N/A") return null;
    const rate = parseDecimal(text);
    if (!rate) {
      zctx.addIssue({ code: "custom", message: `"${text}" is not a positive decimal rate` });
      return z.NEVER;
    }
    return toDecimal(rate);
  });

const currencyHeader = z
  .string()
  .trim()
  .transform((text, zctx) => {
    const code = text.toLowerCase();
    if (!/^[a-z]{3}$/.test(code)) {
      zctx.addIssue({ code: "custom", message: `"${text}" is not an ISO currency code` });
      return z.NEVER;
    }
    // The history file keeps columns of retired currencies (CYP, SIT…) that Stripe never sends: skipped.
    return isKnownCurrency(code) ? code : null;
  });

/**
 * Reads the ECB reference-rate CSV layout (`eurofxref.csv`, `eurofxref-hist.csv`): a header
 * `Date,USD,JPY,…` and one row per working day with the units of each currency per euro, `N/A`
 * where there is none (a trailing empty column is allowed). All or nothing: the first bad cell
 * throws a ValidationError naming its line and column, so a bad file imports no row.
 */
export function parseEcbCsv(text: string, source = "file"): FxRateRow[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = splitRow(lines[0] ?? "");
  const bad = (line: number, column: string, message: string): never => {
    throw new ValidationError(`${source}: line ${line}, column ${column}: ${message}`, "file");
  };
  if ((header[0] ?? "").trim().toLowerCase() !== "date")
    bad(1, "1 (Date)", `expected the header "Date,USD,JPY,…", got "${(header[0] ?? "").trim()}"`);
  const currencies: Array<string | null> = header.slice(1).map((cell, i) => {
    if (cell.trim() === "" && i === header.length - 2) return null;
    const parsed = currencyHeader.safeParse(cell);
    return parsed.success ? parsed.data : bad(1, `${i + 2}`, parsed.error.issues[0]!.message);
  });
  if (new Set(currencies.filter(Boolean)).size !== currencies.filter(Boolean).length)
    bad(1, "header", "a currency appears twice");
  const rows: FxRateRow[] = [];
  const seenDays = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    if (lines[i]!.trim() === "") continue;
    const cells = splitRow(lines[i]!);
    if (cells.length > header.length)
      bad(line, `${header.length + 1}`, "more cells than the header has columns");
    const day = ecbDay.safeParse(cells[0] ?? "");
    if (!day.success) bad(line, "1 (Date)", day.error.issues[0]!.message);
    const dayValue = day.data!;
    if (seenDays.has(dayValue)) bad(line, "1 (Date)", `${dayValue} appears twice`);
    seenDays.add(dayValue);
    currencies.forEach((quote, c) => {
      const parsed = rateCell.safeParse(cells[c + 1] ?? "");
      const name = (header[c + 1] ?? "").trim().toUpperCase();
      if (!parsed.success) bad(line, `${c + 2} (${name})`, parsed.error.issues[0]!.message);
      if (quote === null) return;
      if (parsed.data) rows.push({ day: dayValue, base: "eur", quote, rate: parsed.data, source: "import" });
    });
  }
  if (rows.length === 0) bad(lines.length, "-", "no rates in the file");
  return rows;
}

/** The ECB files quote nothing: a plain comma split. */
function splitRow(line: string): string[] {
  return line.split(",");
}
