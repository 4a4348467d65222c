import { type SQL, sql } from "drizzle-orm";

/** `%`, `_` and the escape character itself, taken literally inside a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `expression` starts with `prefix` (case as given): a LIKE with a literal prefix, which a btree
 * index with `text_pattern_ops` on the same expression answers as a range scan, not a full scan.
 */
export function startsWith(expression: SQL, prefix: string): SQL {
  return sql`${expression} LIKE ${`${escapeLike(prefix)}%`}`;
}
