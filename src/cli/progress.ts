/**
 * Progress of long commands, on stderr so stdout stays the command's result: a redrawn bar with
 * counts and ETA on a terminal, a plain line every few seconds otherwise (logs, CI), nothing with
 * `--json` (a script reads stdout and must not find progress mixed into stderr either).
 */

/** The part of a stream progress writes to (process.stderr, or a fake one in tests). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type ProgressMode = "bar" | "lines" | "off";

export interface ProgressOptions {
  /** What is being done, first on every line: `seed-demo`, `snapshots build`. */
  title: string;
  /**
   * What is counted (`days`, `files`); bytes are shown as kB/MB when `unit` is `bytes`. With neither
   * a unit nor a total only the step and the elapsed time are shown (work that cannot be counted).
   */
  unit?: string;
  /** Units of work in all; unknown (no bar, no ETA) when left out. */
  total?: number;
  stream?: ProgressStream;
  /** `--json` was given: print nothing. */
  json?: boolean;
  /** Defaults to `bar` on a terminal, `lines` otherwise. */
  mode?: ProgressMode;
  /** Milliseconds, for tests; defaults to the process's monotonic clock. */
  now?: () => number;
  /** Plain lines: at most one per this many milliseconds (default 5,000). */
  lineEveryMs?: number;
}

export interface Progress {
  /** Work done so far (absolute); `label` names the current step; `total` when it became known. */
  update(done: number, label?: string, total?: number): void;
  /** The total became known or changed. */
  setTotal(total: number): void;
  /** The work ended: the final line, then a newline so the next output starts clean. */
  finish(label?: string): void;
}

const BAR_WIDTH = 24;
/** A terminal redraws at most this often: cheap to call from a tight loop. */
const REDRAW_MS = 100;

export function progressMode(stream: ProgressStream, json = false): ProgressMode {
  if (json) return "off";
  return stream.isTTY === true ? "bar" : "lines";
}

/** `0:07`, `1:05`, `1:02:03`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

function formatCount(n: number, unit: string | undefined): string {
  if (unit === "bytes") {
    if (n >= 1_048_576) return `${(n / 1_048_576).toFixed(1)} MB`;
    if (n >= 1024) return `${(n / 1024).toFixed(0)} kB`;
    return `${n} B`;
  }
  return n.toLocaleString("en-US");
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const mode = options.mode ?? progressMode(stream, options.json);
  const now = options.now ?? (() => performance.now());
  const lineEveryMs = options.lineEveryMs ?? 5000;
  const started = now();
  let total = options.total;
  let done = 0;
  let label = "";
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let finished = false;

  const describe = (at: number): string => {
    const elapsed = at - started;
    const unit = options.unit === "bytes" ? "" : options.unit ? ` ${options.unit}` : "";
    const parts: string[] = [];
    if (total !== undefined && total > 0) {
      const share = Math.min(1, done / total);
      parts.push(
        `${formatCount(done, options.unit)}/${formatCount(total, options.unit)}${unit} (${Math.floor(share * 100)}%)`,
      );
      if (done > 0 && done < total && elapsed >= 1000)
        parts.push(`ETA ${formatDuration((elapsed / done) * (total - done))}`);
    } else if (options.unit !== undefined) parts.push(`${formatCount(done, options.unit)}${unit}`);
    parts.push(`${formatDuration(elapsed)} elapsed`);
    return `${parts.join(", ")}${label ? ` · ${label}` : ""}`;
  };

  const drawBar = (at: number) => {
    const share = total !== undefined && total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(share * BAR_WIDTH);
    const bar = total !== undefined ? `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ` : "";
    let line = `${options.title} ${bar}${describe(at)}`;
    // A terminal that reports no width (0 under some wrappers) gets the classic 80 columns.
    const columns = stream.columns !== undefined && stream.columns >= 20 ? stream.columns : 80;
    if (line.length > columns - 1) line = line.slice(0, Math.max(10, columns - 1));
    // Back to the line's start and clear it: the bar is redrawn in place.
    stream.write(`\r\x1b[2K${line}`);
    drawn = true;
  };

  const draw = (force: boolean) => {
    if (mode === "off" || finished) return;
    const at = now();
    if (mode === "bar") {
      if (!force && at - lastDraw < REDRAW_MS) return;
      lastDraw = at;
      drawBar(at);
      return;
    }
    // Plain lines: the first update, then at most one line per interval.
    if (!force && at - lastDraw < lineEveryMs) return;
    lastDraw = at;
    stream.write(`${options.title}: ${describe(at)}\n`);
  };

  return {
    update(value, step, all) {
      done = value;
      if (all !== undefined) total = all;
      if (step !== undefined) label = step;
      draw(false);
    },
    setTotal(value) {
      total = value;
    },
    finish(step) {
      if (mode === "off" || finished) return;
      if (total !== undefined) done = Math.max(done, total);
      label = step ?? "done";
      const at = now();
      if (mode === "bar") {
        drawBar(at);
        if (drawn) stream.write("\n");
      } else stream.write(`${options.title}: ${describe(at)}\n`);
      finished = true;
    },
  };
}

/**
 * Work that reports nothing itself (a child process writing a file, one large dump): `measure()` is
 * read every `everyMs` while it runs, so the count and the elapsed time keep moving.
 */
export async function watchProgress<T>(
  progress: Progress,
  measure: () => number,
  work: Promise<T>,
  everyMs = 500,
): Promise<T> {
  progress.update(measure());
  const timer = setInterval(() => progress.update(measure()), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
