import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { buildCodeIndex } from "../../code-index/build.ts";
import type { CodeIndex } from "../../code-index/code-index.ts";
import type { Environment } from "../../config/environment.ts";
import { localize } from "../../localize/localize.ts";
import type { Localization } from "../../localize/types.ts";
import { resolveCacheRoot } from "../../workspace/cache-dir.ts";
import { EXIT } from "../exit-codes.ts";
import { configFromFileOrRepo, modelFromEnvironment, snapshotOf } from "./localize-shared.ts";

interface LocalizeCliOptions {
  repo: string;
  commit?: string;
  issue: string;
  llm: boolean;
  json?: boolean;
  config?: string;
  cacheDir?: string;
}

export function registerLocalizeCommands(program: Command, environment: Environment): void {
  program
    .command("localize")
    .description("Rank the files, elements and lines an issue is about, and the tokens each stage used.")
    .requiredOption("--repo <path|url>", "a git repository: local (bare or not) or a URL git can fetch")
    .option(
      "--commit <sha>",
      "the commit to localize in (default: a local clone's working tree as it is; HEAD otherwise)",
    )
    .requiredOption("--issue <file>", "the issue text (title on the first line, then the body)")
    .option("--no-llm", "retrieval only: no model is called; stages report what their prompts would cost")
    .option("--json", "print the localization as JSON")
    .option(
      "--config <file>",
      "budgets from this .github/autofix.yml (default: the repository's own, else defaults)",
    )
    .option(
      "--cache-dir <dir>",
      "cache for snapshots and parse results (default: $AUTOFIX_CACHE_DIR or ~/.cache/autofix)",
    )
    .action(async (options: LocalizeCliOptions) => {
      process.exitCode = await runLocalize(options, environment);
    });
}

async function runLocalize(options: LocalizeCliOptions, environment: Environment): Promise<number> {
  if (!existsSync(options.issue)) {
    process.stderr.write(`${options.issue}: no such file\n`);
    return EXIT.invalid;
  }
  const issueText = readFileSync(options.issue, "utf8");
  if (issueText.trim() === "") {
    process.stderr.write(
      `${options.issue} is empty: there is nothing to localize.\n  → Write the issue's title and body into the file.\n`,
    );
    return EXIT.invalid;
  }
  const cacheRoot = resolveCacheRoot(options.cacheDir, environment.values);
  const { root, snapshot } = await snapshotOf(options, cacheRoot);
  const identity = snapshot ? `${snapshot.key}@${snapshot.commit}` : undefined;
  const config = configFromFileOrRepo(options.config, { root, path: ".github/autofix.yml" });
  const index = await buildCodeIndex({ root, cacheRoot, ...(identity ? { identity } : {}) });
  const [title, ...rest] = issueText.split("\n");
  const localization = await localize({
    issue: { title: (title ?? "").replace(/^#+\s*/, ""), body: rest.join("\n") },
    index,
    budget: config.localization,
    ...(options.llm ? { llm: modelFromEnvironment(config, environment) } : {}),
  });
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ ...localization, index: index.stats }, null, 2)}\n`
      : render(localization, index),
  );
  return EXIT.ok;
}

function render(localization: Localization, index: CodeIndex): string {
  const out: string[] = [];
  const stats = index.stats;
  out.push(
    `Index: ${stats.files} files (${stats.parsedFiles} parsed, ${stats.elements} elements, languages: ${index.languages.join(", ") || "none"}), ${stats.fromCache ? "from cache" : `built in ${stats.seconds.toFixed(1)} s`}`,
  );
  for (const notice of localization.notices) out.push(`Note: ${notice}`);
  out.push("", "Files:");
  localization.files.forEach((file, i) => {
    out.push(`  ${i + 1}. ${file.path}  (${file.reasons.join(", ") || "-"})`);
  });
  out.push("", "Elements:");
  localization.elements.forEach((element, i) => {
    out.push(
      `  ${i + 1}. ${element.path}::${element.qualifiedName}  lines ${element.startLine}-${element.endLine}  (${element.reasons.join(", ")})`,
    );
  });
  localization.locationSets.forEach((set, i) => {
    out.push("", `Edit locations, set ${i + 1}:`);
    for (const location of set)
      out.push(
        `  ${location.path}:${location.startLine}-${location.endLine}${location.element ? `  (${location.element})` : ""}`,
      );
  });
  out.push("", "Context windows for repair:");
  for (const window of localization.windows)
    out.push(`  ${window.path}:${window.startLine}-${window.endLine}`);
  out.push("", "Tokens:");
  for (const stage of localization.stages) {
    const how = stage.usedModel
      ? `${stage.calls} call(s), ${stage.completionTokens} completion`
      : "no model: what the prompt would cost";
    out.push(`  ${stage.stage.padEnd(18)} ${String(stage.promptTokens).padStart(7)} prompt  (${how})`);
    for (const note of stage.notes) out.push(`      note: ${note}`);
    if (stage.dropped.length > 0)
      out.push(`      dropped (not in the repository): ${stage.dropped.join("; ")}`);
    for (const { answer, matched } of stage.corrected) out.push(`      corrected: ${answer} → ${matched}`);
  }
  return `${out.join("\n")}\n`;
}
