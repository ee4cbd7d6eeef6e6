import { isAutofixError } from "../../src/errors.ts";
import type { Edit } from "../../src/repair/types.ts";
import { screenBaseline } from "../../src/repo-tests/baseline.ts";
import { mochaRunner } from "../../src/repo-tests/runners/mocha.ts";
import type { TestRunner } from "../../src/repo-tests/types.ts";
import type { Sandbox, SandboxFile, SandboxLimits } from "../../src/sandbox/sandbox.ts";
import type { RegressionSuite, ReproductionSuite } from "../../src/validate/suites.ts";
import { gitShow } from "./checkout.ts";
import { type BugInstance, diffPaths } from "./dataset.ts";
import { keptReproductionIds } from "./fail-to-pass.ts";
import { harnessFiles, withHarness } from "./harness.ts";
import { hunkEdit, occurrences, parseHunks } from "./hunks.ts";
import { bugRepoKey, prepareBugImage } from "./prepare.ts";
import { isSuiteFile, regressionSelection } from "./regression.ts";

/** Everything the selection needs for one bug, established on the unpatched code. */
export type PreparedBug = {
  instance: BugInstance;
  image: string;
  runner: TestRunner;
  /** The files the fix touches, at the base commit (what the scripted model "was shown"). */
  original: Map<string, string>;
  gold: Edit[];
  /** The test_patch's files (at the test commit) and its FAIL_TO_PASS tests failing on the base. */
  reproduction: ReproductionSuite;
  regression: RegressionSuite;
  limits: Partial<SandboxLimits>;
};

export type Exclusion = { stage: string; reason: string };
export type BugOptions = {
  compat: boolean;
  regressionFiles: number;
  /** Dependencies whose install scripts the tests need (see projects.ts). */
  rebuild: readonly string[];
};

export const RUN_LIMITS: Partial<SandboxLimits> = { timeoutMs: 120_000, memoryBytes: 1024 ** 3 };
/** Regression test files run besides the reproduction files, by default. */
export const DEFAULT_REGRESSION_FILES = 8;
/** A test that flips with probability ½ escapes K runs with probability 2·½^K: 25% at K=3. */
const BASELINE_RUNS = 3;

export async function prepareBug(
  sandbox: Sandbox,
  instance: BugInstance,
  gitDir: string,
  options: BugOptions,
): Promise<PreparedBug | Exclusion> {
  const fix = goldOf(instance, gitDir);
  if ("stage" in fix) return fix;
  const testFiles: SandboxFile[] = diffPaths(instance.test_patch).flatMap((path) => {
    const content = gitShow(gitDir, instance.test_commit, path);
    return content === null ? [] : [{ path, content }];
  });
  let image: string;
  try {
    const prepared = await prepareBugImage(sandbox, instance, gitDir, options.rebuild);
    const harness = harnessFiles(gitDir, instance.base_commit, options.compat);
    image = await withHarness(sandbox, prepared.image, bugRepoKey(instance), harness);
  } catch (error) {
    return { stage: "setup", reason: `npm install failed: ${setupFailure(error)}` };
  }
  const runner = mochaRunner();
  const reproFiles = testFiles
    .filter((file) => typeof file.content === "string" && isSuiteFile(file.path, file.content))
    .map((file) => file.path);
  const screen = (selection: string[], files: SandboxFile[]) =>
    screenBaseline(sandbox, { image, runner, selection, files, limits: RUN_LIMITS, runs: BASELINE_RUNS });
  const reproBaseline = await screen(reproFiles, testFiles);
  const kept = await keptReproductionIds({
    sandbox,
    image,
    runner,
    limits: RUN_LIMITS,
    instance,
    gitDir,
    testFiles,
    reproFiles,
    baseline: reproBaseline,
    fixedPaths: [...fix.original.keys()],
  });
  if ("stage" in kept) return kept;
  const keptIds = kept.ids;
  const selection = regressionSelection(
    gitDir,
    instance.base_commit,
    [...fix.original.keys()],
    reproFiles,
    options.regressionFiles,
  );
  const regressionBaseline = await screen(selection, []);
  return {
    instance,
    image,
    runner,
    original: fix.original,
    gold: fix.gold,
    reproduction: { files: testFiles, ids: keptIds, baseline: reproBaseline },
    regression: { selection, baseline: regressionBaseline },
    limits: RUN_LIMITS,
  };
}

/** The fixed files at the base commit and the gold patch as SEARCH/REPLACE edits on them. */
function goldOf(
  instance: BugInstance,
  gitDir: string,
): { original: Map<string, string>; gold: Edit[] } | Exclusion {
  if (instance.FAIL_TO_PASS_approx?.length === 0) {
    return { stage: "dataset", reason: "no FAIL_TO_PASS tests recorded for this bug" };
  }
  if (diffPaths(instance.patch).includes("package.json")) {
    return {
      stage: "dataset",
      reason:
        "the fix also upgrades a dependency in package.json, which the image (installed at the base commit) lacks",
    };
  }
  const original = new Map<string, string>();
  for (const path of diffPaths(instance.patch)) {
    const text = gitShow(gitDir, instance.base_commit, path);
    if (text === null) return { stage: "gold", reason: `${path} does not exist at the base commit` };
    original.set(path, text);
  }
  const gold: Edit[] = [];
  for (const hunk of parseHunks(instance.patch)) {
    const text = original.get(hunk.path) ?? "";
    const edit = hunkEdit(hunk, text);
    if (occurrences(text, edit.search) !== 1) {
      return { stage: "gold", reason: `a hunk of ${hunk.path} does not apply to the base commit` };
    }
    gold.push(edit);
  }
  return { original, gold };
}

/** The setup's exit and its last output lines, without the (long) command itself. */
function setupFailure(error: unknown): string {
  const tail = isAutofixError(error) ? error.context.outputTail : undefined;
  if (typeof tail !== "string") return firstLine(error);
  const lines = tail.split("\n").filter((line) => line.trim() !== "");
  return `${firstLine(error).replace(/`[^`]*`/, "")} … ${lines.slice(-3).join(" | ").slice(0, 400)}`;
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().split("\n")[0]?.slice(0, 240) ?? "";
}
