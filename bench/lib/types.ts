/** What `bench/run.ts` passes to every bench module. */
export interface BenchOptions {
  /** Postgres server URL (any database on it); bench databases are created beside it and dropped. */
  postgresUrl: string;
  /** Small sizes for a smoke run (seconds, not minutes); the figures are then not the published ones. */
  quick: boolean;
  log(message: string): void;
}

/** One absolute figure of a bench, printed and stored as measured. */
export interface Figure {
  label: string;
  value: number;
  unit: string;
}

/** What every `bench/*.bench.ts` module's `run` resolves to (also the JSON in bench/results/). */
export interface BenchResult {
  name: string;
  /** What the ratio compares, in words. */
  description: string;
  baseline: { label: string; value: number; unit: string };
  measured: { label: string; value: number; unit: string };
  /** measured / baseline (for throughput: higher is better; for latency: lower is better). */
  ratio: number;
  /** The target in words, e.g. "ratio ≥ 0.5 and p99 < 50 ms". */
  target: string;
  pass: boolean;
  /** Every other absolute number worth quoting. */
  figures: Figure[];
  /** Data sizes used (events, orders, concurrency...). */
  size: Record<string, number>;
  quick: boolean;
}

export type BenchModule = { run(opts: BenchOptions): Promise<BenchResult> };
