import { describe, expect, it } from "vitest";
import { RateBook } from "../fx/index.ts";
import { demoFxRates } from "./fx-rates.ts";

describe("demo exchange rates", () => {
  it("are the same for the same seed, working days only, and convert every demo pair on any day", () => {
    const rows = demoFxRates("2026-03-02", "2026-03-08");
    expect(demoFxRates("2026-03-02", "2026-03-08")).toEqual(rows);
    expect(new Set(rows.map((r) => r.day))).toEqual(
      new Set(["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"]),
    );
    expect(rows.every((r) => r.base === "eur" && r.source === "seed")).toBe(true);
    const book = new RateBook(rows);
    // A Sunday takes Friday's rate; JPY→KWD is crossed through the euro.
    expect(book.resolve("jpy", "kwd", "2026-03-08")).toMatchObject({ via: "eur", day: "2026-03-06" });
  });
});
