import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { LanguageRegistry } from "../../code-index/languages.ts";
import type { Environment } from "../../config/environment.ts";
import { readDataset } from "../../eval/dataset.ts";
import { evaluateLocalization } from "../../eval/localize-eval.ts";
import { formatTable, summarize } from "../../eval/report.ts";
import { resolveCacheRoot } from "../../workspace/cache-dir.ts";
import { GitWorkspace } from "../../workspace/git-workspace.ts";
import { EXIT } from "../exit-codes.ts";
import { configFromFileOrRepo, modelFromEnvironment, positiveInteger } from "./localize-shared.ts";

interface EvalLocalizeOptions {
  dataset: string[];
  repos: string;
  llm: boolean;
  limit?: number;
  out?: string;
  only?: string;
  config?: string;
  cacheDir?: string;
  keepSnapshots?: boolean;
  quiet?: boolean;
}

export function registerEvalCommands(program: Command, environment: Environment): void {
  const evaluate = program.command("eval").description("Evaluate a stage on a dataset.");
  evaluate
    .command("localize")
    .description(
      "Localization on a JSONL dataset: file accuracy, function recall, line coverage, tokens, and a plain BM25 baseline.",
    )
    .requiredOption(
      "--dataset <file>",
      "JSONL: instance_id, repo, base_commit, problem_statement, patch (repeat to evaluate several)",
      (file: string, previous: string[] | undefined) => [...(previous ?? []), file],
    )
    .requiredOption(
      "--repos <dir>",
      "where <owner>/<name> is a git directory holding the base commits (absent repos are skipped)",
    )
    .option("--no-llm", "retrieval only (the model stages report what their prompts would cost)")
    .option("--limit <n>", "evaluate at most this many instances (in dataset order)", positiveInteger)
    .option("--only <regex>", "only instances whose id matches")
    .option("--out <file>", "write the report as JSON")
    .option("--config <file>", "budgets from this .github/autofix.yml (default: all defaults)")
    .option(
      "--cache-dir <dir>",
      "cache for snapshots and parse results (default: $AUTOFIX_CACHE_DIR or ~/.cache/autofix)",
    )
    .option("--keep-snapshots", "keep each checked-out base commit in the cache (faster reruns, more disk)")
    .option("--quiet", "no per-instance progress on stderr")
    .action(async (options: EvalLocalizeOptions) => {
      process.exitCode = await runEvalLocalize(options, environment);
    });
}

async function runEvalLocalize(options: EvalLocalizeOptions, environment: Environment): Promise<number> {
  const filter = options.only ? new RegExp(options.only) : undefined;
  const all = options.dataset
    .flatMap((file) => readDataset(file))
    .filter((instance) => !filter || filter.test(instance.instance_id));
  const instances = options.limit === undefined ? all : all.slice(0, options.limit);
  const config = configFromFileOrRepo(options.config, undefined);
  const cacheRoot = resolveCacheRoot(options.cacheDir, environment.values);
  const llm = options.llm ? modelFromEnvironment(config, environment) : undefined;
  const results = await evaluateLocalization({
    instances,
    reposDir: resolve(options.repos),
    workspace: new GitWorkspace({ cacheRoot }),
    cacheRoot,
    budget: config.localization,
    registry: new LanguageRegistry(),
    ...(llm ? { llm } : {}),
    keepSnapshots: options.keepSnapshots === true,
    onResult: (result, position) => {
      if (options.quiet) return;
      const mark =
        result.status === "skipped"
          ? `skipped: ${result.skip_reason}`
          : `top3=${result.file_hit_at_3 ? "hit" : "miss"} recall=${result.function_recall?.toFixed(2) ?? "-"} lines=${result.line_coverage?.toFixed(2) ?? "-"} ${result.seconds?.toFixed(1)}s`;
      process.stderr.write(`[${position + 1}/${instances.length}] ${result.instance_id}: ${mark}\n`);
    },
  });
  const report = summarize(results, {
    dataset: options.dataset.join(", "),
    command: `autofix ${process.argv.slice(2).join(" ")}`,
    usedModel: llm !== undefined,
  });
  process.stdout.write(`${formatTable(report)}\n`);
  if (options.out) {
    mkdirSync(dirname(resolve(options.out)), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  }
  return EXIT.ok;
}
