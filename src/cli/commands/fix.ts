import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { type Command, Option } from "commander";
import type { Environment } from "../../config/environment.ts";
import type { Progress } from "../../contract/progress.ts";
import type { Report } from "../../contract/report.ts";
import { AutofixError } from "../../errors.ts";
import { createLedger, createLlm } from "../../llm/create-llm.ts";
import { loadLlmSettings } from "../../llm/settings.ts";
import { prepareOutDir } from "../../pipeline/out-dir.ts";
import { partialReportOf, runFix } from "../../pipeline/run-fix.ts";
import { writeReport } from "../../pipeline/write-report.ts";
import { DockerSandbox } from "../../sandbox/docker-sandbox.ts";
import { workspaceFingerprint } from "../../sandbox/fingerprint.ts";
import { sandboxSettings } from "../../sandbox/settings.ts";
import { resolveCacheRoot } from "../../workspace/cache-dir.ts";
import { EXIT } from "../exit-codes.ts";
import { type Interruption, withInterruptions } from "../interrupt.ts";
import { requireCommittedRepository } from "../option-checks.ts";
import { refuseTrackedOutDir } from "../tracked-out-dir.ts";
import { reportOfUnstartedRun } from "./fix-stopped.ts";
import { configFromFileOrRepo, snapshotOf } from "./localize-shared.ts";

type FixCliOptions = {
  repo: string;
  commit?: string;
  issue?: string;
  issueText?: string;
  out: string;
  json?: boolean;
  config?: string;
  cacheDir?: string;
};

export function registerFixCommand(program: Command, environment: Environment): void {
  program
    .command("fix")
    .description(
      "Localize, reproduce, repair and validate; write patch.diff (only when proven), report.json and report.md. Exit 0: patch, 3: abstained, 1: error.",
    )
    .requiredOption("--repo <path|url>", "a git repository: local (bare or not) or a URL git can fetch")
    .option(
      "--commit <sha>",
      "the base commit (default: a local clone's working tree as it is; HEAD otherwise)",
    )
    .addOption(
      new Option("--issue <file>", "the issue: title on the first line, then the body").conflicts(
        "issueText",
      ),
    )
    .addOption(new Option("--issue-text <text>", "the issue as text (title on the first line)"))
    .option("--out <dir>", "where to write the report and patch", "autofix-out")
    .option("--json", "print {decision, reason, patchPath, groups, validatedGroups, tokens, dollars}")
    .option("--config <file>", "budgets from this .github/autofix.yml (default: the repository's own)")
    .option(
      "--cache-dir <dir>",
      "cache for snapshots and parse results (default: $AUTOFIX_CACHE_DIR or ~/.cache/autofix)",
    )
    .action(async (options: FixCliOptions) => {
      process.exitCode = await runFixCommand(options, environment);
    });
}

async function runFixCommand(options: FixCliOptions, environment: Environment): Promise<number> {
  const issueText = readIssue(options);
  // Checked before the run spends anything: an unusable --out fails now, not after repair.
  refuseTrackedOutDir(options.out);
  const outDir = prepareOutDir(options.out);
  const started = performance.now();
  let reported = false;
  let signal: AbortSignal | undefined;
  const report = (made: Report) => {
    reported = true;
    return writeReport(made, outDir);
  };
  // A run still busy long after the signal (a clone, a second Ctrl-C) leaves at least why it stopped.
  const beforeForcedExit = () => {
    if (!reported && signal) report(reportOfUnstartedRun(options, undefined, signal, started));
  };
  return withInterruptions(
    async (interruption) => {
      signal = interruption.signal;
      try {
        const made = await setUpAndRun(options, issueText, interruption, environment);
        const written = report(made);
        process.stdout.write(
          options.json ? `${JSON.stringify(summary(made, written.patchPath))}\n` : human(made, written),
        );
        return made.decision === "patch" ? EXIT.ok : EXIT.abstained;
      } catch (error) {
        // Every exit past the options leaves a report: what the run did, and why it stopped.
        const made =
          partialReportOf(error) ?? reportOfUnstartedRun(options, error, interruption.signal, started);
        const written = report(made);
        if (options.json) process.stdout.write(`${JSON.stringify(summary(made, null))}\n`);
        process.stderr.write(`autofix: the run stopped (${made.stopped}); report: ${written.reportMd}\n`);
        throw error;
      }
    },
    { beforeForcedExit },
  );
}

async function setUpAndRun(
  options: FixCliOptions,
  issueText: string,
  interruption: Interruption,
  environment: Environment,
): Promise<Report> {
  const cacheRoot = resolveCacheRoot(options.cacheDir, environment.values);
  const { root, snapshot } = await snapshotOf(options, cacheRoot);
  if (snapshot === undefined) requireCommittedRepository(root);
  const { key, commit } = snapshot ?? { key: `local/${basename(root)}`, commit: workspaceFingerprint(root) };
  const config = configFromFileOrRepo(options.config, { root, path: ".github/autofix.yml" });
  const ledger = createLedger(config.limits);
  const llm = createLlm({ settings: loadLlmSettings(environment), config, ledger });
  interruption.signal.throwIfAborted();
  const sandbox = await DockerSandbox.connect({ settings: sandboxSettings(environment) });
  interruption.onInterrupt(() => sandbox.stopAll());
  interruption.signal.throwIfAborted();
  const [title, ...rest] = issueText.split("\n");
  return runFix(
    {
      repo: { root, key, commit },
      issue: { title: (title ?? "").replace(/^#+\s*/, ""), body: rest.join("\n") },
      config,
    },
    {
      llm,
      ledger,
      sandbox,
      cacheRoot,
      signal: interruption.signal,
      onProgress: options.json ? undefined : printProgress,
    },
  );
}

function readIssue(options: FixCliOptions): string {
  if (options.issue === undefined && options.issueText === undefined) {
    throw new AutofixError("cli.issue_missing", "No issue given.", {
      hint: "Pass --issue FILE or --issue-text TEXT.",
    });
  }
  if (options.issue !== undefined && !existsSync(options.issue)) {
    throw new AutofixError("cli.issue_missing", `${options.issue}: no such file.`, {
      hint: "Pass the path of a file holding the issue text.",
    });
  }
  const text = options.issue !== undefined ? readFileSync(options.issue, "utf8") : (options.issueText ?? "");
  if (text.trim() === "") {
    throw new AutofixError("cli.issue_empty", "The issue text is empty: there is nothing to fix.", {
      hint: "Write the issue's title on the first line and its body below.",
    });
  }
  return text;
}

export function summary(report: Report, patchPath: string | null) {
  return {
    ...(report.stopped === undefined ? {} : { stopped: report.stopped }),
    decision: report.decision,
    reason: report.reason,
    patchPath,
    groups: report.groups.length,
    validatedGroups: report.groups.filter((group) => group.validated).length,
    tokens: report.usage.tokens,
    dollars: report.usage.dollars,
  };
}

function printProgress(progress: Progress): void {
  const figures = Object.entries(progress.figures).map(([name, value]) => `${name}: ${value}`);
  process.stderr.write(
    `[${progress.stage}] ${progress.state}${figures.length > 0 ? ` — ${figures.join(", ")}` : ""} (${progress.tokens} tokens, $${progress.dollars.toFixed(4)})\n`,
  );
}

function human(report: Report, written: { reportMd: string; patchPath: string | null }): string {
  const lines = [
    ...(report.stopped === undefined ? [] : [`Stopped: ${report.stopped}`]),
    report.decision === "patch"
      ? "Patch proposed (validated by execution)."
      : "No patch proposed (abstained).",
    `Why: ${report.reason}`,
    `Groups: ${report.groups.length} (${report.groups.filter((g) => g.validated).length} validated); tokens ${report.usage.tokens}, $${report.usage.dollars.toFixed(4)}`,
    `Report: ${written.reportMd}`,
  ];
  if (written.patchPath) lines.push(`Patch: ${written.patchPath}`);
  return `${lines.join("\n")}\n`;
}
