/**
 * Runs `autofix sandbox …` / `autofix test …` through the commands as registered by
 * registerSandboxCommands, the way src/cli/main.ts runs them (tests spawn this as a child process,
 * so exit codes and output are the real ones, independent of what else main.ts wires).
 */
import { Command, CommanderError } from "commander";
import { registerSandboxCommands } from "../../src/cli/commands/sandbox.ts";
import { readEnvironment } from "../../src/config/environment.ts";
import { describeError } from "../../src/errors.ts";

const program = new Command("autofix").exitOverride();
registerSandboxCommands(program, readEnvironment(process.env));
try {
  await program.parseAsync(process.argv.slice(2), { from: "user" });
} catch (error) {
  if (!(error instanceof CommanderError)) process.stderr.write(`autofix: ${describeError(error)}\n`);
  process.exitCode = error instanceof CommanderError ? 2 : 1;
}
