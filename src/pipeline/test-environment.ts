import type { AutofixConfig } from "../config/schema.ts";
import { type Detection, detectFramework } from "../repo-tests/detect.ts";
import { type SelectionScope, selectRegressionTests } from "../repo-tests/select.ts";
import { NoTestsError } from "../repo-tests/test-repo.ts";
import { clampLimits, DEFAULT_CEILINGS, describeClamp } from "../sandbox/ceilings.ts";
import type { Sandbox, SandboxLimits } from "../sandbox/sandbox.ts";

/** Regression test files run for every candidate, at most (the whole suite when it is this small). */
const REGRESSION_FILES = 20;
const WHOLE_SUITE_UP_TO = 30;

export type TestEnvironment = {
  detection: Detection;
  /** The prepared image: base + workspace + setup. */
  image: string;
  limits: SandboxLimits;
  /** Regression test files related to the localized code, most related first. */
  regression: string[];
  /** How they were chosen: related to the localized code, widened, or a plain command's whole suite. */
  regressionScope: SelectionScope | "command";
  /** Where the list of test files came from (for reports). */
  testSource: string;
  setup: { ran: boolean; cached: boolean; seconds: number };
  /** Repository limits lowered to the operator's maxima, one line each, for the report. */
  clamped: string[];
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
  const { limits, clamped } = clampLimits(config.sandbox, sandbox.ceilings ?? DEFAULT_CEILINGS);
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
      ? { files: [], scope: "command" as const }
      : selectRegressionTests({
          root: repo.root,
          language: detection.language,
          localizedFiles,
          testFiles: detection.testFiles,
          budget: REGRESSION_FILES,
          wholeSuiteUpTo: WHOLE_SUITE_UP_TO,
        });
  return {
    detection,
    image: prepared.image,
    limits,
    regression: selection.files,
    regressionScope: selection.scope,
    testSource: detection.testSource,
    setup: { ran: prepared.setup.ran, cached: prepared.cached, seconds: prepared.setup.durationMs / 1000 },
    clamped: clamped.map(describeClamp),
  };
}
