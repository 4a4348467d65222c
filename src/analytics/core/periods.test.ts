import { describe, expect, it } from "vitest";
import { ValidationError } from "../../shared/errors.ts";
import {
  addDays,
  dayOf,
  eachDay,
  endOfPeriod,
  monthOf,
  parseDay,
  previousPeriod,
  startOfDay,
} from "./periods.ts";

const HOUR = 3_600_000;

function hoursIn(day: string, tz: string): number {
  return (endOfPeriod(day, tz).getTime() - startOfDay(day, tz).getTime()) / HOUR;
}

describe("startOfDay and dayOf", () => {
  it.each([
    // day, zone, UTC instant of local 00:00 (by hand from the zone's offset that day)
    ["2026-01-15", "UTC", "2026-01-15T00:00:00.000Z"],
    ["2026-03-07", "America/New_York", "2026-03-07T05:00:00.000Z"], // EST −5
    ["2026-03-08", "America/New_York", "2026-03-08T05:00:00.000Z"], // still EST at midnight; 02:00 → 03:00
    ["2026-03-09", "America/New_York", "2026-03-09T04:00:00.000Z"], // EDT −4
    ["2026-11-01", "America/New_York", "2026-11-01T04:00:00.000Z"], // still EDT at midnight; 02:00 → 01:00
    ["2026-11-02", "America/New_York", "2026-11-02T05:00:00.000Z"], // EST −5
    ["2026-03-29", "Europe/Berlin", "2026-03-28T23:00:00.000Z"], // CET +1; 02:00 → 03:00 later that night
    ["2026-03-30", "Europe/Berlin", "2026-03-29T22:00:00.000Z"], // CEST +2
    ["2026-10-25", "Europe/Berlin", "2026-10-24T22:00:00.000Z"], // CEST +2; 03:00 → 02:00
    ["2026-10-26", "Europe/Berlin", "2026-10-25T23:00:00.000Z"], // CET +1
    ["2026-01-15", "Asia/Kolkata", "2026-01-14T18:30:00.000Z"], // +05:30, no DST
  ])("%s in %s starts at %s", (day, tz, expected) => {
    const start = startOfDay(day, tz);
    expect(start.toISOString()).toBe(expected);
    expect(dayOf(start, tz)).toBe(day);
    expect(dayOf(new Date(start.getTime() - 1), tz)).toBe(addDays(day, -1));
  });

  it.each([
    ["2026-03-08", "America/New_York", 23], // spring forward
    ["2026-11-01", "America/New_York", 25], // fall back
    ["2026-03-29", "Europe/Berlin", 23],
    ["2026-10-25", "Europe/Berlin", 25],
    ["2026-07-01", "Asia/Kolkata", 24],
    ["2026-03-08", "UTC", 24],
  ])("%s in %s lasts %d hours", (day, tz, hours) => {
    expect(hoursIn(day, tz)).toBe(hours);
  });

  it("dates instants by the local wall clock", () => {
    // 06:59:59Z on 2026-03-08 is 01:59:59 EST; 07:00Z is 03:00 EDT, same local day
    expect(dayOf(new Date("2026-03-08T06:59:59Z"), "America/New_York")).toBe("2026-03-08");
    expect(dayOf(new Date("2026-03-09T03:59:59Z"), "America/New_York")).toBe("2026-03-08");
    // 18:29:59Z is 23:59:59 IST; 18:30Z is 00:00 the next day
    expect(dayOf(new Date("2026-01-14T18:29:59.999Z"), "Asia/Kolkata")).toBe("2026-01-14");
    expect(dayOf(new Date("2026-01-14T18:30:00Z"), "Asia/Kolkata")).toBe("2026-01-15");
    expect(dayOf(new Date("2026-12-31T23:59:59.999Z"), "UTC")).toBe("2026-12-31");
  });

  // Chile's rule (since 2019): clocks go from 2026-09-06 00:00 −04 straight to 01:00 −03.
  it("starts a day whose midnight is skipped at the change (America/Santiago)", () => {
    expect(startOfDay("2026-09-06", "America/Santiago").toISOString()).toBe("2026-09-06T04:00:00.000Z");
    expect(hoursIn("2026-09-06", "America/Santiago")).toBe(23);
  });

  it("rejects an unknown time zone", () => {
    expect(() => dayOf(new Date(), "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("dayOf against the time-zone data", () => {
  // dayOf reuses a zone's offset through a UTC hour when it is the same at both ends of it: compare
  // with the ICU data read directly, at random instants and at instants around each offset
  // change of 1901..2040 in zones with odd offsets, 30-minute DST and skipped days.
  const zones = [
    "America/Santiago",
    "Asia/Beirut",
    "Pacific/Apia",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Europe/Amsterdam",
    "Africa/Monrovia",
    "UTC",
  ];
  const dayFormats = new Map<string, Intl.DateTimeFormat>();
  const exact = (instant: number, tz: string) => {
    let f = dayFormats.get(tz);
    if (!f) {
      f = new Intl.DateTimeFormat("en-CA", {
        timeZone: tz,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      });
      dayFormats.set(tz, f);
    }
    return f.format(instant);
  };
  const offsetFormats = new Map<string, Intl.DateTimeFormat>();
  const offsetAt = (instant: number, tz: string) => {
    let f = offsetFormats.get(tz);
    if (!f) {
      f = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" });
      offsetFormats.set(tz, f);
    }
    return f.formatToParts(instant).find((p) => p.type === "timeZoneName")!.value;
  };

  it("agrees at random instants and around every offset change", () => {
    const WEEK = 7 * 86_400_000;
    let seed = 20261204;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const lo = Date.UTC(1901, 0, 1);
    const hi = Date.UTC(2040, 0, 1);
    for (const tz of zones) {
      const checks: number[] = [];
      for (let i = 0; i < 2000; i++) checks.push(Math.floor(lo + random() * (hi - lo)));
      // Offset changes, found week by week and narrowed to the millisecond.
      let before = offsetAt(lo, tz);
      for (let t = lo + WEEK; t < hi; t += WEEK) {
        const now = offsetAt(t, tz);
        if (now === before) continue;
        let [a, b] = [t - WEEK, t];
        while (b - a > 1) {
          const mid = Math.floor((a + b) / 2);
          if (offsetAt(mid, tz) === before) a = mid;
          else b = mid;
        }
        for (const d of [-3_600_000, -60_000, -1000, -1, 0, 1, 1000, 60_000, 1_800_000, 3_599_999])
          checks.push(b + d);
        before = now;
      }
      for (const instant of checks)
        expect(dayOf(new Date(instant), tz), `${tz} ${new Date(instant).toISOString()}`).toBe(
          exact(instant, tz),
        );
    }
  });
});

describe("endOfPeriod", () => {
  it("is the start of the day after `to`", () => {
    expect(endOfPeriod("2026-01-31", "UTC").toISOString()).toBe("2026-02-01T00:00:00.000Z");
    // 2026-11-01 00:00 EDT (−4) = 04:00Z; 2026-11-02 00:00 EST (−5) = 05:00Z
    expect(endOfPeriod("2026-10-31", "America/New_York").toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(endOfPeriod("2026-11-01", "America/New_York").toISOString()).toBe("2026-11-02T05:00:00.000Z");
  });
});

describe("day arithmetic", () => {
  it("adds days across months, years and leap days", () => {
    expect(addDays("2026-01-31", 1)).toBe("2026-02-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-03-08", 0)).toBe("2026-03-08");
  });

  it("lists every day of a period, both ends included", () => {
    expect(eachDay("2028-02-27", "2028-03-01")).toEqual([
      "2028-02-27",
      "2028-02-28",
      "2028-02-29",
      "2028-03-01",
    ]);
    expect(eachDay("2026-03-08", "2026-03-08")).toEqual(["2026-03-08"]);
    expect(eachDay("2026-03-09", "2026-03-08")).toEqual([]);
  });

  it("gives the previous period of the same length", () => {
    // March has 31 days; the 31 days before it are Jan 29..Feb 28 (3 + 28)
    expect(previousPeriod("2026-03-01", "2026-03-31")).toEqual({ from: "2026-01-29", to: "2026-02-28" });
    expect(previousPeriod("2026-01-01", "2026-01-01")).toEqual({ from: "2025-12-31", to: "2025-12-31" });
    expect(previousPeriod("2026-01-08", "2026-01-14")).toEqual({ from: "2026-01-01", to: "2026-01-07" });
  });

  it("gives the month of a day", () => {
    expect(monthOf("2026-02-15")).toBe("2026-02");
  });
});

describe("parseDay", () => {
  it("accepts real calendar days", () => {
    expect(parseDay("2026-01-31")).toBe("2026-01-31");
    expect(parseDay("2028-02-29")).toBe("2028-02-29");
  });

  it.each(["", "2026-1-31", "2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-01-31T00:00:00Z"])(
    "rejects %j",
    (input) => {
      expect(() => parseDay(input, "from")).toThrow(ValidationError);
    },
  );

  it("names the field in the error", () => {
    expect(() => parseDay("nope", "from")).toThrow(expect.objectContaining({ field: "from" }));
  });
});
