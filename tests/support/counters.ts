/**
 * The numbers test data is named from (row ids and SKUs, user e-mails, event ids): one counter per
 * name, unique within a test file and the same on every run. Files share their worker's loaded
 * modules (vitest.config.ts), so tests/support/per-file.ts starts them again before each file. This
 * module imports nothing, so that setup loads no app module before a file's `vi.mock`.
 */
const counts = new Map<string, number>();

/** The next number of `name`'s counter in this test file (1, 2, …). */
export function nextIn(name: string): number {
  const n = (counts.get(name) ?? 0) + 1;
  counts.set(name, n);
  return n;
}

/** Every counter back to zero. */
export function resetCounters(): void {
  counts.clear();
}

/** Every counter's number now (to carry data seeded elsewhere on: see `setCounters`). */
export function counterState(): Record<string, number> {
  return Object.fromEntries(counts);
}

/** The counters exactly as `state` (a file continuing from data seeded in another process). */
export function setCounters(state: Record<string, number>): void {
  counts.clear();
  for (const [name, n] of Object.entries(state)) counts.set(name, n);
}
