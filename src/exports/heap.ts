import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | undefined;

/** V8's full garbage collection as a function (`--expose-gc` switched on at run time when needed). */
function fullCollection(): () => void {
  if (collect) return collect;
  collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) {
    setFlagsFromString("--expose-gc");
    // A context created after the flag is set gets the `gc` global; the function works process-wide.
    collect = runInNewContext("gc") as () => void;
  }
  return collect;
}

/** Rows between two looks at the heap: often enough to catch it early, rare enough to cost nothing. */
const CHECK_EVERY_ROWS = 2_000;

/**
 * A per-row callback that runs a full garbage collection whenever the heap in use has grown past
 * `maxHeapUsedBytes` (looked at every 2,000 rows).
 *
 * Why: an export allocates page after page of rows, and the pages still being written when the
 * young generation is swept are promoted to the old generation. On a machine with plenty of memory
 * V8 then lets the old generation grow to a few hundred MB of such garbage before it collects (the
 * 1,000,000-line BI pack peaked at about 270 MB resident). Collecting when the heap passes a small
 * budget keeps the process near its live size, with no flag for the user to know about. Only the
 * CLI asks for it; a server keeps V8's own pacing.
 */
export function heapCompactor(maxHeapUsedBytes: number): () => void {
  const gc = fullCollection();
  let rows = 0;
  let limit = maxHeapUsedBytes;
  return () => {
    rows += 1;
    if (rows < CHECK_EVERY_ROWS) return;
    rows = 0;
    if (getHeapStatistics().used_heap_size <= limit) return;
    gc();
    // When the live set itself is near the budget (say a customer-key cache of a very large shop),
    // collecting at every look would cost more than it saves: leave a quarter of the budget above it.
    limit = Math.max(maxHeapUsedBytes, getHeapStatistics().used_heap_size + maxHeapUsedBytes / 4);
  };
}
