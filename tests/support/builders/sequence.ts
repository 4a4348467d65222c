/**
 * What every row builder shares: one counter per test file (ids, emails and SKUs built from it are
 * unique within the file and the same on every run), and instants given as a Date or an ISO string.
 */
import { nextIn } from "../counters.ts";

/** The next number of this test file's sequence; each builder takes exactly one per row it makes. */
export const next = (): number => nextIn("rows");

export type When = Date | string;
export const at = (when: When): Date => (when instanceof Date ? when : new Date(when));

/** A table's insert shape, every column optional, with `K` columns also accepting an ISO string. */
export type Over<T, K extends keyof T = never> = Omit<Partial<T>, K> & { [P in K]?: T[P] | string };
