import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { parse } from "yaml";
import { flattenConfig } from "../../config/flatten.ts";
import { formatProblems, parseConfigText } from "../../config/load.ts";
import { ceilingWarnings } from "../../sandbox/ceilings.ts";
import { EXIT } from "../exit-codes.ts";

const DEFAULT_FILE = ".github/autofix.yml";

export function registerConfigCommands(program: Command): void {
  const config = program
    .command("config")
    .description("Work with the repository config (.github/autofix.yml).");
  config
    .command("check")
    .description("Validate a config file and print the resolved budgets. Exit 0 valid, 2 invalid.")
    .argument("[file]", `config file (default: ${DEFAULT_FILE}; absent means all defaults)`)
    .option("--json", "print {valid, problems, config} as JSON")
    .action((file: string | undefined, options: { json?: boolean }) => {
      process.exitCode = checkConfig(file, options.json === true);
    });
}

function checkConfig(file: string | undefined, json: boolean): number {
  const source = file ?? DEFAULT_FILE;
  if (file !== undefined && !existsSync(file)) {
    process.stderr.write(`${file}: no such file\n`);
    return EXIT.invalid;
  }
  const text = existsSync(source) ? readFileSync(source, "utf8") : "";
  const result = parseConfigText(text);
  if (json) {
    const body = result.ok
      ? { valid: true, config: result.config }
      : { valid: false, problems: result.problems };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return result.ok ? EXIT.ok : EXIT.invalid;
  }
  if (!result.ok) {
    const lines = formatProblems(result.problems, source);
    process.stderr.write(
      `${lines.join("\n")}\n${lines.length} problem(s); see docs/config.md for every key.\n`,
    );
    return EXIT.invalid;
  }
  const written = new Set(flattenConfig(parse(text) ?? {}).map(([key]) => key));
  const out = [existsSync(source) ? `${source}: valid` : `${source}: not found, so every default applies`];
  out.push(...ceilingWarnings(result.config.sandbox));
  if (result.config._extends) {
    out.push(
      `note: _extends: ${result.config._extends} is resolved by the App on GitHub; checked here without it`,
    );
  }
  out.push("resolved (keys not written in the file show their default):");
  for (const [key, value] of flattenConfig(result.config)) {
    if (key === "_extends") continue;
    out.push(`  ${key}: ${JSON.stringify(value)}${written.has(key) ? "" : "  (default)"}`);
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}
