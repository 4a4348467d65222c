import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { COMMAND_GROUPS } from "./commands.ts";
import { EXIT_USAGE, exitCodeFor } from "./run.ts";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command("revintel")
    .description("Revenue Intelligence for Stripe Commerce")
    .version(pkg.version, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const register of COMMAND_GROUPS) register(program);
  program.commands.forEach(function configure(cmd: Command) {
    cmd.exitOverride();
    cmd.commands.forEach(configure);
  });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
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
