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
