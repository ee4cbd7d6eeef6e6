import type { AutofixConfig } from "../config/schema.ts";
import type { Progress } from "../contract/progress.ts";
import type { RegressionSummary, SuggestionBasis } from "../contract/report.ts";
import type { Ledger, LedgerLimits, StageRow } from "../llm/ledger.ts";
import type { Llm } from "../llm/llm.ts";
import type { IssueText } from "../localize/types.ts";
import type { Edit } from "../repair/types.ts";
import type { ReproductionRow } from "../reproduce/reproduce.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";

/**
 * The fix pipeline's contract: a repository snapshot and an issue in, a `FixReport` out. The CLI
 * (`autofix fix`) and the App both call `runFix` (run-fix.ts); only they touch disk or GitHub.
 */
export type FixInput = {
  /** The repository at the base commit, read-only (a Workspace snapshot or a local checkout). */
  repo: { root: string; key: string; commit: string };
  /** Title and body, already stripped of hidden text (and fenced when untrusted) by the caller. */
  issue: IssueText;
  config: AutofixConfig;
};

export type FixServices = {
  /** Metered by `ledger`: every call counts against the run's token and dollar ceilings. */
  llm: Llm;
  ledger: Ledger;
  sandbox: Sandbox;
  /** Parse-result cache for the code index (undefined: nothing cached). */
  cacheRoot?: string;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  log?: (message: string) => void;
};

export type TestRow = {
  test: string;
  kind: "reproduction" | "regression";
  before: string;
  after: string;
  command?: string;
  exitCode?: number | null;
};

export type CandidateRow = {
  id: string;
  /** Location set it was sampled for (0-based), and the round (0 = first, 1+ = refinement). */
  set: number;
  round: number;
  status: "accepted" | "refused";
  /** For refused candidates: why, in a sentence. */
  reason?: string;
  group?: string;
};

export type GroupRow = {
  key: string;
  votes: number;
  members: string[];
  diffSize: number;
  validated: boolean;
  /** Why it was not validated (empty when validated). */
  why: string;
  diff: string;
  evidence: TestRow[];
};

export type FixReport = {
  decision: "patch" | "abstain";
  /** A sentence a maintainer can read. */
  reason: string;
  /** With "patch": the chosen, validated group's edits and diff. */
  patch?: { group: string; diff: string; edits: Edit[]; changedPaths: string[] };
  /**
   * With "abstain": a candidate offered for a human to judge, never a PR — one that breaks no regression
   * test when no reproduction test exists, or one that fixes the reproduction tests when no regression
   * test could run.
   */
  suggestion?: { group: string; diff: string; basis: SuggestionBasis };
  repo: { key: string; commit: string };
  localization: {
    files: string[];
    elements: string[];
    locationSets: { path: string; startLine: number; endLine: number }[][];
    notices: string[];
  };
  reproduction: { tests: ReproductionRow[]; kept: string[]; framework: string | null };
  candidates: CandidateRow[];
  groups: GroupRow[];
  /** The evidence table of the chosen group (or of the best group when abstaining). */
  evidence: TestRow[];
  /** How many regression tests ran, from where, and what was left out. */
  regressionSummary: RegressionSummary;
  /** Tokens and dollars per stage, from the run's ledger. */
  usage: {
    stages: StageRow[];
    tokens: number;
    dollars: number;
    /** The run's ceilings (limits.maxTokensPerRun, limits.maxDollarsPerRun). */
    limits?: LedgerLimits;
    /** Replies cut to their reservation, one line each. */
    notes?: string[];
  };
  seconds: number;
};
