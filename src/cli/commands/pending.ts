import type { Command } from "commander";
import { AutofixError } from "../../errors.ts";

/** Subcommands whose stages are built in their own issues: registered now so `--help` shows the whole tool. */
const PENDING = [
  { name: "fix", summary: "Run the whole pipeline on a local repository and write the patch and report." },
] as const;

export function registerPendingCommands(program: Command): void {
  for (const { name, summary } of PENDING) {
    program
      .command(name)
      .description(`${summary} (not built yet)`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new AutofixError("not_built", `'autofix ${name}' is not built yet in this version.`, {
          hint: "See the README's roadmap for the issue that builds it.",
        });
      });
  }
}
