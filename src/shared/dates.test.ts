import { describe, expect, it } from "vitest";
import { isTimeZone } from "./dates.ts";

describe("isTimeZone", () => {
  it("knows IANA zones and UTC, asked once or again", () => {
    for (const zone of ["Europe/Berlin", "America/New_York", "UTC", "Europe/Berlin"]) {
      expect(isTimeZone(zone)).toBe(true);
    }
  });

  it("refuses what is not a zone, every time it is asked", () => {
    for (const zone of ["Mars/Olympus_Mons", "", "Europe/Berlin ", "Mars/Olympus_Mons"]) {
      expect(isTimeZone(zone)).toBe(false);
    }
  });
});
