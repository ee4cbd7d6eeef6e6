import type { AutofixConfig } from "../config/schema.ts";
import type { ReproductionRow } from "../pipeline/types.ts";
import type { KeptTest } from "../reproduce/reproduce.ts";
import { limitsFromConfig, type Sandbox, type SandboxFile, type SandboxLimits } from "../sandbox/sandbox.ts";
import { type Baseline, screenBaseline } from "../testing/baseline.ts";
import { type Detection, detectFramework } from "../testing/detect.ts";
import { selectRegressionTests } from "../testing/select.ts";
import { NoTestsError } from "../testing/test-repo.ts";

/** Regression test files run for every candidate, at most (the whole suite when it is this small). */
const REGRESSION_FILES = 20;
const WHOLE_SUITE_UP_TO = 30;
/** Baseline runs on the unpatched code: a test whose outcome changes between them is flaky. */
const BASELINE_RUNS = 2;

export type TestEnvironment = {
  detection: Detection;
  /** The prepared image: base + workspace + setup. */
  image: string;
  limits: SandboxLimits;
  /** Regression test files related to the localized code, most related first. */
  regression: string[];
  setup: { ran: boolean; cached: boolean; seconds: number };
};

/** Detect the test framework, prepare the image (setup once per commit, cached), select regression tests. */
export async function prepareTestEnvironment(
  repo: { root: string; key: string; commit: string },
  config: AutofixConfig,
  localizedFiles: readonly string[],
  sandbox: Sandbox,
): Promise<TestEnvironment> {
  const detection = detectFramework(repo.root, config.sandbox.test);
  if (detection === null) throw new NoTestsError(repo.root);
  const limits = limitsFromConfig(config.sandbox);
  const prepared = await sandbox.prepare({
    repoKey: repo.key,
    commit: repo.commit,
    image: config.sandbox.image ?? detection.image,
    setup: config.sandbox.setup,
    workspaceDir: repo.root,
    network: config.sandbox.setupNetwork,
    limits: { ...limits, timeoutMs: config.sandbox.setupTimeoutSeconds * 1000 },
  });
  const selection =
    detection.framework === "command"
      ? { files: [] }
      : selectRegressionTests({
          root: repo.root,
          language: detection.language,
          localizedFiles,
          budget: REGRESSION_FILES,
          wholeSuiteUpTo: WHOLE_SUITE_UP_TO,
        });
  return {
    detection,
    image: prepared.image,
    limits,
    regression: selection.files,
    setup: { ran: prepared.setup.ran, cached: prepared.cached, seconds: prepared.setup.durationMs / 1000 },
  };
}

export type ScreenedTests = {
  baseline: Baseline;
  /** Regression files plus the kept reproduction files. */
  selection: string[];
  testFiles: SandboxFile[];
  /** Reproduction test ids that failed in every baseline run. */
  keptIds: string[];
  /** Rows for reproduction tests dropped by the screening (flaky, or passing after all). */
  dropped: ReproductionRow[];
};

/**
 * Run the regression selection and the kept reproduction tests on the unpatched code, twice. A
 * reproduction test must fail in every run to stay kept: one that passes or flips proves nothing.
 */
export async function screenTests(
  env: TestEnvironment,
  kept: readonly KeptTest[],
  sandbox: Sandbox,
): Promise<ScreenedTests> {
  const testFiles = kept.map((test) => ({ path: test.path, content: test.text }));
  const selection =
    env.detection.framework === "command" ? [] : [...env.regression, ...kept.map((test) => test.path)];
  const baseline = await screenBaseline(sandbox, {
    image: env.image,
    runner: env.detection.runner,
    selection,
    files: testFiles,
    limits: env.limits,
    runs: BASELINE_RUNS,
  });
  const keptIds: string[] = [];
  const dropped: ReproductionRow[] = [];
  for (const test of kept) {
    for (const id of test.ids) {
      const outcome = baseline.tests.find((t) => t.id === id)?.outcome ?? "missing";
      if (outcome === "failed" || outcome === "error") keptIds.push(id);
      else
        dropped.push({
          id,
          file: test.path,
          kept: false,
          reason: `rejected (${outcome} when run again on the unpatched code with the regression tests)`,
        });
    }
  }
  return { baseline, selection, testFiles, keptIds, dropped };
}
