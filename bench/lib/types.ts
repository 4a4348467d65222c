/** What `bench/run.ts` passes to every bench module. */
export interface BenchOptions {
  /** Postgres server URL (any database on it); bench databases are created beside it and dropped. */
  postgresUrl: string;
  /** Small sizes for a smoke run (seconds, not minutes); the figures are then not the published ones. */
  quick: boolean;
  /** `--scale`: "1m" (default, the published sizes) or "10m" (10,000,000 orders, benches exporting `scales`). */
  scale: BenchScale;
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

/** Data scale of a run: the published 1,000,000 orders, or 10,000,000 for the cost-growth targets. */
export type BenchScale = "1m" | "10m";

export type BenchModule = {
  run(opts: BenchOptions): Promise<BenchResult>;
  /** Scales the bench supports besides "1m" (a `--scale 10m` run selects only benches listing it). */
  scales?: BenchScale[];
};
