import { type Command, InvalidArgumentError } from "commander";
import type { Environment } from "../../config/environment.ts";
import type { BaselineTest } from "../../repo-tests/baseline.ts";
import { testRepository } from "../../repo-tests/test-repo.ts";
import { DockerSandbox } from "../../sandbox/docker-sandbox.ts";
import { sandboxSettings } from "../../sandbox/settings.ts";
import { EXIT } from "../exit-codes.ts";
import { type Interruption, withInterruptions } from "../interrupt.ts";
import { imageReference, repoDirectory } from "../option-checks.ts";

type TestOptions = { repo: string; select?: string[]; runs: number; image?: string; json?: boolean };

export function registerTestCommand(program: Command, environment: Environment): void {
  program
    .command("test")
    .description("Run a repository's tests in the sandbox: per-test outcomes, flaky tests marked.")
    .requiredOption("--repo <path>", "the repository checkout")
    .option("--select <ids...>", "test ids or test files to run (default: the whole suite)")
    .option("--runs <n>", "runs on the same code; tests whose outcome changes are flaky", runsOption, 2)
    .option("--image <image>", "image (default: sandbox.image, else chosen by the repo's language)")
    .option("--json", "print the results as JSON")
    .action(async (options: TestOptions) => {
      process.exitCode = await withInterruptions((interruption) =>
        testCommand(options, interruption, environment),
      );
    });
}

async function testCommand(
  options: TestOptions,
  interruption: Interruption,
  environment: Environment,
): Promise<number> {
  const repoDir = repoDirectory(options.repo);
  const image = options.image === undefined ? undefined : imageReference(options.image);
  const sandbox = await DockerSandbox.connect({ settings: sandboxSettings(environment) });
  interruption.onInterrupt(() => sandbox.stopAll());
  interruption.signal.throwIfAborted();
  const report = await testRepository(sandbox, {
    repoDir,
    selection: options.select ?? null,
    runs: options.runs,
    ...(image === undefined ? {} : { image }),
  });
  const { baseline, detection } = report;
  const count = (outcome: BaselineTest["outcome"]) =>
    baseline.tests.filter((t) => t.outcome === outcome).length;
  const summary = {
    passed: count("passed"),
    failed: count("failed"),
    error: count("error"),
    skipped: count("skipped"),
    flaky: count("flaky"),
  };
  const noTests = baseline.tests.length === 0;
  if (options.json) {
    const json = {
      framework: detection.framework,
      reason: detection.reason,
      image: report.image,
      command: baseline.reports[0]?.command ?? null,
      runs: baseline.runs,
      noTests,
      tests: baseline.tests,
      flaky: baseline.flaky,
      problems: baseline.problems,
      summary,
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    process.stdout.write(
      `${detection.framework} (${detection.reason}) in ${report.image}, ${baseline.runs} run(s)\n`,
    );
    for (const test of baseline.tests) {
      const mark = test.outcome === "flaky" ? `flaky (${test.observed.join(", ")})` : test.outcome;
      process.stdout.write(`${mark.padEnd(8)} ${test.id}\n`);
    }
    for (const problem of baseline.problems) process.stdout.write(`problem: ${problem}\n`);
    if (noTests) process.stdout.write("No tests ran.\n");
    process.stdout.write(
      `${summary.passed} passed, ${summary.failed + summary.error} failed, ${summary.skipped} skipped, ${summary.flaky} flaky\n`,
    );
  }
  return !noTests && summary.failed + summary.error === 0 ? EXIT.ok : EXIT.error;
}

function runsOption(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 50)
    throw new InvalidArgumentError(`--runs must be a whole number from 1 to 50, not '${text}'.`);
  return value;
}
