import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { COMMAND_GROUPS, groupsFor } from "./commands.ts";
import { EXIT_USAGE, exitCodeFor } from "./run.ts";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** The program with the command groups `argv` needs (all of them when `argv` is left out). */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command("revintel")
    .description("Revenue Intelligence for Stripe Commerce")
    .version(pkg.version, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const group of argv ? groupsFor(argv) : COMMAND_GROUPS) (await group.load())(program);
  program.commands.forEach(function configure(cmd: Command) {
    cmd.exitOverride();
    cmd.commands.forEach(configure);
  });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are "errors" to commander; usage mistakes are exit 2 by our contract.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const { code, message } = exitCodeFor(err);
    process.stderr.write(`revintel: ${message}\n`);
    return code;
  }
}
