/** Latency and throughput arithmetic for the benches. */

/** Nearest-rank percentile (p in 0..100) of a sample, in the sample's unit; NaN when empty. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarise(sample: readonly number[]): LatencySummary {
  const sum = sample.reduce((a, b) => a + b, 0);
  return {
    count: sample.length,
    p50: percentile(sample, 50),
    p95: percentile(sample, 95),
    p99: percentile(sample, 99),
    max: sample.length ? Math.max(...sample) : Number.NaN,
    mean: sample.length ? sum / sample.length : Number.NaN,
  };
}

/** Milliseconds since `start` (a `process.hrtime.bigint()` value). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Runs `work(i)` for i in [0, total) with at most `concurrency` in flight; returns each call's ms. */
export async function runConcurrent(
  total: number,
  concurrency: number,
  work: (i: number) => Promise<void>,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies = new Array<number>(total);
  let next = 0;
  const started = process.hrtime.bigint();
  const lane = async () => {
    for (let i = next++; i < total; i = next++) {
      const t = process.hrtime.bigint();
      await work(i);
      latencies[i] = elapsedMs(t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  return { latencies, wallMs: elapsedMs(started) };
}
