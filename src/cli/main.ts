import { Command, CommanderError } from "commander";
import { type Environment, readEnvironment } from "../config/environment.ts";
import { describeError } from "../errors.ts";
import { registerConfigCommands } from "./commands/config-check.ts";
import { registerEvalCommands } from "./commands/eval.ts";
import { registerFixCommand } from "./commands/fix.ts";
import { registerLocalizeCommands } from "./commands/localize.ts";
import { registerSandboxCommands } from "./commands/sandbox.ts";
import { registerScriptedModelCommand } from "./commands/scripted-model.ts";
import { EXIT, exitCodeFor } from "./exit-codes.ts";

/** The environment is parsed once here; each command derives the settings it needs from it. */
export function buildProgram(environment: Environment = readEnvironment(process.env)): Command {
  const program = new Command("autofix")
    .description("Localize, reproduce and repair bugs; propose only patches proven by execution.")
    .showHelpAfterError()
    .exitOverride();
  registerConfigCommands(program);
  registerScriptedModelCommand(program);
  registerSandboxCommands(program, environment);
  registerLocalizeCommands(program, environment);
  registerEvalCommands(program, environment);
  registerFixCommand(program, environment);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    process.stderr.write(`autofix: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
