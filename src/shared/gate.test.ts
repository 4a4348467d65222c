import { describe, expect, it } from "vitest";
import { FairGate, Gate } from "./gate.ts";

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

describe("FairGate", () => {
  it("gives a freed place to the keys in turn, each key's callers in arrival order", async () => {
    const gate = new FairGate<string>(1);
    const started: string[] = [];
    const holds = new Map<string, ReturnType<typeof pending<void>>>();
    const run = (name: string) => {
      const hold = pending();
      holds.set(name, hold);
      return gate.run(name[0]!, async () => {
        started.push(name);
        await hold.promise;
      });
    };
    // Key a asks for five places at once, then b and c for one each.
    const runs = ["a1", "a2", "a3", "a4", "a5", "b1", "c1", "c2"].map(run);
    await tick();
    expect(started).toEqual(["a1"]);
    expect(gate.queued).toBe(7);
    for (const name of ["a1", "a2", "b1", "c1", "a3", "c2", "a4"]) {
      holds.get(name)!.settle();
      await tick();
    }
    // b and c are not held up by a's queue: each key takes the next place in turn.
    expect(started).toEqual(["a1", "a2", "b1", "c1", "a3", "c2", "a4", "a5"]);
    holds.get("a5")!.settle();
    await Promise.all(runs);
    expect(gate.queued).toBe(0);
  });

  it("lets `limit` in at once and gives the place back when the work fails", async () => {
    const gate = new FairGate<string>(2);
    const holds = [pending<void>(), pending<void>()];
    const first = gate.run("a", () => holds[0]!.promise);
    const second = gate.run("a", () => holds[1]!.promise);
    let thirdRan = false;
    const third = gate.run("b", async () => {
      thirdRan = true;
    });
    await tick();
    expect(thirdRan).toBe(false);
    holds[0]!.fail(new Error("boom"));
    await expect(first).rejects.toThrow("boom");
    await third;
    expect(thirdRan).toBe(true);
    holds[1]!.settle();
    await second;
    // Both places free again: two holders start at once.
    const started: string[] = [];
    const more = ["x", "y"].map((k) => gate.run(k, async () => void started.push(k)));
    expect(started).toEqual(["x", "y"]);
    await Promise.all(more);
  });

  it("refuses a limit that is not a positive integer", () => {
    for (const limit of [0, -1, 1.5]) expect(() => new FairGate(limit)).toThrow("positive integer");
  });
});
