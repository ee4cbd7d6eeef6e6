import type { RegressionSummary } from "../contract/report.ts";
import type { Baseline } from "../repo-tests/baseline.ts";
import type { SandboxFile } from "../sandbox/sandbox.ts";

/** The tests a candidate is validated against, screened on the unpatched code (pipeline/screen-tests.ts). */
export type ReproductionSuite = { files: SandboxFile[]; ids: string[]; baseline: Baseline };
/** `selection` null: the whole suite (a plain test command); empty: no regression test to run. */
export type RegressionSuite = {
  selection: string[] | null;
  baseline: Baseline;
  /** What ran, from where, and what was left out (absent where a caller built the suite itself). */
  summary?: RegressionSummary;
};
