import { formatMoney } from "../../../shared/money.ts";

/** Display helpers for views only; `null` (a KPI that cannot be computed) shows as an em dash. */
export const NONE = "—";

export function money(amount: number | null | undefined, currency: string): string {
  return amount === null || amount === undefined ? NONE : formatMoney(amount, currency);
}

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? NONE : new Intl.NumberFormat("en-US").format(n);
}

/** A 0..1 rate as a percentage with one decimal ("12.5%"). */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? NONE : `${(rate * 100).toFixed(1)}%`;
}

export function dateTime(at: Date | string | null | undefined): string {
  if (!at) return NONE;
  const d = typeof at === "string" ? new Date(at) : at;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "3 h", "2 d 4 h": ages of backlog items. */
export function age(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 1) return `${Math.max(0, Math.floor(ms / 60_000))} min`;
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
