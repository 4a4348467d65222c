/**
 * A counting semaphore: at most `limit` holders at once, the others wait in arrival order.
 */
export class Gate {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`gate limit must be a positive integer, got ${limit}`);
  }

  /** Runs `work` once a place is free; the place is given back when it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.held < this.limit) this.held++;
    else await new Promise<void>((enter) => this.waiting.push(enter));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The place passes straight to the next in line (held stays the same), else it is freed.
      if (next) next();
      else this.held--;
    }
  }

  /** Callers waiting for a place now. */
  get queued(): number {
    return this.waiting.length;
  }
}
