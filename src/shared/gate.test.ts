import { describe, expect, it } from "vitest";
import { Gate } from "./gate.ts";

/** A promise and the function that settles it, to hold work open until the test lets it go. */
function pending<T = void>() {
  let settle!: (value: T) => void;
  let fail!: (err: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  return { promise, settle, fail };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe("Gate", () => {
  it("lets at most `limit` run at once and the others in in arrival order", async () => {
    const gate = new Gate(2);
    const started: number[] = [];
    const holds = Array.from({ length: 5 }, () => pending());
    const runs = holds.map((hold, i) =>
      gate.run(async () => {
        started.push(i);
        await hold.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(3);
    holds[1]!.settle();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    holds[0]!.settle();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const hold of holds) hold.settle();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(gate.queued).toBe(0);
  });

  it("gives the place back when the work fails, and passes the failure on", async () => {
    const gate = new Gate(1);
    const hold = pending();
    const failing = gate.run(() => hold.promise);
    const next = gate.run(async () => "ran");
    hold.fail(new Error("boom"));
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("ran");
    // Free again: a new holder starts at once.
    let ranAtOnce = false;
    const third = gate.run(async () => {
      ranAtOnce = true;
    });
    expect(ranAtOnce).toBe(true);
    await third;
  });

  it("refuses a limit that is not a positive integer", () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) expect(() => new Gate(limit)).toThrow("positive integer");
  });
});
