import { formatMoney } from "../../../shared/money.ts";

/** Display helpers for views only; `null` (a KPI that cannot be computed) shows as an em dash. */
export const NONE = "—";

export function money(amount: number | null | undefined, currency: string): string {
  return amount === null || amount === undefined ? NONE : formatMoney(amount, currency);
}

const counts = new Intl.NumberFormat("en-US");

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? NONE : counts.format(n);
}

/** A 0..1 rate as a percentage with one decimal ("12.5%"). */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? NONE : `${(rate * 100).toFixed(1)}%`;
}

/**
 * The one way dashboards write a calendar day ("4 May 2026"; "4 May" without the year where the
 * year is already said) and a month ("May 2026"). Day strings are calendar days, not instants.
 */
export function day(d: string, year = true): string {
  const [y, m, dd] = d.split("-").map(Number) as [number, number, number];
  return `${dd} ${MONTHS[m - 1]}${year ? ` ${y}` : ""}`;
}

/** "May 2026" from "2026-05" (or any day of it). */
export function month(m: string): string {
  return `${MONTHS[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * The one way every page writes an instant: the dashboards' day, then the time of day in UTC
 * ("17 May 2026, 08:15 UTC"). Instants are stored in UTC and shown in UTC so two operators
 * reading the same row see the same words whatever their browser's zone.
 */
export function dateTime(at: Date | string | null | undefined): string {
  if (!at) return NONE;
  const d = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return NONE;
  const iso = d.toISOString();
  return `${day(iso.slice(0, 10))}, ${iso.slice(11, 16)} UTC`;
}

/** "3 h", "2 d 4 h": ages of backlog items. */
export function age(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 1) return `${Math.max(0, Math.floor(ms / 60_000))} min`;
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
