import { describe, expect, it } from "vitest";
import { createProgress, formatDuration, type ProgressStream, progressMode } from "./progress.ts";

/** A stream that records what was written; `isTTY` as a terminal or a pipe would say. */
function fakeStream(isTTY: boolean, columns = 120): ProgressStream & { text(): string } {
  const chunks: string[] = [];
  return {
    isTTY,
    columns,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    text: () => chunks.join(""),
  };
}

/** A clock the test moves by hand. */
function manualClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const ESC = "\x1b";

describe("progress on a terminal", () => {
  it("redraws one bar in place with counts, percentage and ETA, then ends the line", () => {
    const out = fakeStream(true);
    const clock = manualClock();
    const p = createProgress({ title: "seed-demo", unit: "days", total: 100, stream: out, now: clock.now });
    clock.advance(10_000);
    p.update(25, "orders");
    const first = out.text();
    expect(first.startsWith(`\r${ESC}[2K`)).toBe(true);
    // 25 of 100 in 10 s: 75 more take 30 s.
    expect(first).toContain(
      "seed-demo [######------------------] 25/100 days (25%), ETA 0:30, 0:10 elapsed · orders",
    );
    p.update(26);
    expect(out.text()).toBe(first); // within 100 ms of the last redraw: nothing written
    clock.advance(200);
    p.update(50, "subscriptions");
    expect(out.text()).toContain("50/100 days (50%)");
    p.finish("snapshots built");
    expect(out.text()).toContain("100/100 days (100%), 0:10 elapsed · snapshots built\n");
    expect(out.text().split("\n")).toHaveLength(2); // one line, ended once
  });

  it("cuts the line to the terminal's width", () => {
    const out = fakeStream(true, 40);
    const p = createProgress({ title: "export bi", unit: "bytes", stream: out, now: () => 0 });
    p.update(5_000_000, "a very long file name that does not fit.csv");
    const line = out.text().replace(`\r${ESC}[2K`, "");
    expect(line.length).toBeLessThanOrEqual(39);
    expect(line).toContain("export bi 4.8 MB");
  });
});

describe("progress on a terminal that reports no width", () => {
  it("uses 80 columns instead of cutting the bar to nothing", () => {
    const out = fakeStream(true, 0);
    const p = createProgress({ title: "simulate", unit: "days", total: 3, stream: out, now: () => 0 });
    p.update(1);
    expect(out.text()).toContain("simulate [########----------------] 1/3 days (33%)");
  });
});

describe("progress in a pipe or a log", () => {
  it("writes plain lines, at most one per interval, and no escape codes", () => {
    const out = fakeStream(false);
    const clock = manualClock();
    const p = createProgress({
      title: "snapshots build",
      unit: "stages",
      total: 10,
      stream: out,
      now: clock.now,
      lineEveryMs: 5000,
    });
    p.update(1, "ledger");
    clock.advance(1000);
    p.update(2, "orders"); // too soon: no line
    clock.advance(4000);
    p.update(5, "products");
    p.finish();
    expect(out.text()).not.toContain(ESC);
    expect(out.text()).not.toContain("\r");
    expect(out.text().trimEnd().split("\n")).toEqual([
      "snapshots build: 1/10 stages (10%), 0:00 elapsed · ledger",
      "snapshots build: 5/10 stages (50%), ETA 0:05, 0:05 elapsed · products",
      "snapshots build: 10/10 stages (100%), 0:05 elapsed · done",
    ]);
  });

  it("counts without a total: no bar, no ETA", () => {
    const out = fakeStream(false);
    const p = createProgress({ title: "backup", unit: "bytes", stream: out, now: () => 0 });
    p.update(2048);
    expect(out.text()).toBe("backup: 2 kB, 0:00 elapsed\n");
  });

  it("shows only the step and the elapsed time for work that cannot be counted", () => {
    const out = fakeStream(false);
    const p = createProgress({ title: "restore", stream: out, now: () => 0 });
    p.update(0, "restoring a 3.0 MB backup");
    expect(out.text()).toBe("restore: 0:00 elapsed · restoring a 3.0 MB backup\n");
  });
});

describe("progress with --json", () => {
  it("writes nothing at all, on a terminal or not", () => {
    for (const isTTY of [true, false]) {
      const out = fakeStream(isTTY);
      const p = createProgress({ title: "seed-demo", total: 3, stream: out, json: true });
      p.update(1, "catalog");
      p.finish();
      expect(out.text()).toBe("");
    }
    expect(progressMode(fakeStream(true), true)).toBe("off");
    expect(progressMode(fakeStream(true))).toBe("bar");
    expect(progressMode(fakeStream(false))).toBe("lines");
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0:00"],
    [7_400, "0:07"],
    [65_000, "1:05"],
    [3_723_000, "1:02:03"],
  ])("%d ms is %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});
