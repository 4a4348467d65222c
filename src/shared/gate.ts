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

/**
 * A counting semaphore whose waiting callers take turns by key: at most `limit` holders at once, and
 * a freed place goes to the next key in turn (each key's own callers in arrival order), so one key's
 * twenty requests do not hold up another key's one.
 */
export class FairGate<Key> {
  private held = 0;
  /** Keys with callers waiting, in the order of their turns (a Map keeps insertion order). */
  private readonly waiting = new Map<Key, Array<() => void>>();
  private queuedCount = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`gate limit must be a positive integer, got ${limit}`);
  }

  /** Waits for a place for `key`; give it back with `release` exactly once. */
  acquire(key: Key): Promise<void> {
    if (this.held < this.limit) {
      this.held++;
      return Promise.resolve();
    }
    return this.wait(key);
  }

  private wait(key: Key): Promise<void> {
    return new Promise<void>((enter) => {
      const line = this.waiting.get(key);
      if (line) line.push(enter);
      else this.waiting.set(key, [enter]);
      this.queuedCount++;
    });
  }

  /** Gives a place back: it passes to the first waiting key, which then goes to the end of the turns. */
  release(): void {
    const first = this.waiting.entries().next();
    if (first.done) {
      this.held--;
      return;
    }
    const [key, line] = first.value;
    const next = line.shift()!;
    this.waiting.delete(key);
    if (line.length > 0) this.waiting.set(key, line);
    this.queuedCount--;
    next();
  }

  /** Runs `work` once `key` has a place; the place is given back when it settles. */
  async run<T>(key: Key, work: () => Promise<T>): Promise<T> {
    // A free place is taken at once (no turn of the event loop), as Gate does.
    if (this.held < this.limit) this.held++;
    else await this.wait(key);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Callers waiting for a place now. */
  get queued(): number {
    return this.queuedCount;
  }
}
