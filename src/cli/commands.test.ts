import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMAND_GROUPS, groupsFor } from "./commands.ts";

describe("CLI command groups", () => {
  it.each(COMMAND_GROUPS.map((g) => [g.commands.join(", "), g] as const))(
    "the module of %s registers exactly those commands",
    async (_, group) => {
      const program = new Command("revintel");
      (await group.load())(program);
      expect(program.commands.map((c) => c.name())).toEqual(group.commands);
    },
  );

  it("loads only the group of the command being run", () => {
    expect(groupsFor(["export", "bi", "--from", "2026-01-01"]).map((g) => g.commands)).toEqual([["export"]]);
    expect(groupsFor(["worker"]).map((g) => g.commands)).toEqual([["serve", "worker"]]);
  });

  it("loads every group for help, the version and unknown commands", () => {
    for (const argv of [[], ["--help"], ["help", "export"], ["-V"], ["no-such-command"]]) {
      expect(groupsFor(argv)).toBe(COMMAND_GROUPS);
    }
  });
});
