import { z } from "zod";
import { fileEditSchema } from "./edit.ts";

/**
 * The run's report: what `runFix` returns, what `autofix fix` writes as report.json (and reads back),
 * what the worker publishes, and what a scripted pipeline replays. One schema, so every reader and
 * writer agrees; report.md, the pull request body, the abstain comment and the status comment are all
 * rendered from it in src/publish/.
 */

/** One row of the evidence table: a test's outcome before and after the patch, and how it was run. */
export const testRowSchema = z.strictObject({
  test: z.string().min(1),
  kind: z.enum(["reproduction", "regression"]).optional(),
  /** `pass`, `fail`, `error`, … as the test runner reported it. */
  before: z.string(),
  after: z.string(),
  command: z.string().optional(),
  exitCode: z.int().nullable().optional(),
});
export type TestRow = z.output<typeof testRowSchema>;

export const candidateRowSchema = z.strictObject({
  id: z.string(),
  /** Location set it was sampled for (0-based), and the round (0 = first, 1+ = refinement). */
  set: z.int().min(0),
  round: z.int().min(0),
  status: z.enum(["accepted", "refused"]),
  /** For refused candidates: why, in a sentence. */
  reason: z.string().optional(),
  group: z.string().optional(),
});
export type CandidateRow = z.output<typeof candidateRowSchema>;

/** One group of equivalent candidates: tested once, its size is its vote. */
export const groupRowSchema = z.strictObject({
  key: z.string().min(1),
  votes: z.int().min(0),
  members: z.array(z.string()).default([]),
  diffSize: z.int().min(0).default(0),
  validated: z.boolean(),
  /** Why it was not validated (empty when it was). */
  why: z.string().default(""),
  diff: z.string().default(""),
  evidence: z.array(testRowSchema).default([]),
});
export type GroupRow = z.output<typeof groupRowSchema>;

/** A reproduction test tried: `reason` is `kept (assertion): …` / `rejected (import error): …`. */
export const reproductionRowSchema = z.strictObject({
  id: z.string(),
  file: z.string(),
  kept: z.boolean(),
  reason: z.string(),
});

/** Model spending of one pipeline stage (from the run's ledger). */
export const stageUsageSchema = z.strictObject({
  stage: z.string().min(1),
  calls: z.int().min(0),
  promptTokens: z.int().min(0),
  completionTokens: z.int().min(0),
  dollars: z.number().min(0),
});

/**
 * How much regression evidence a run had: the tests run on the unpatched code (and again with each
 * candidate that fixed the reproduction tests), where they came from, and the files left out.
 */
export const regressionSummarySchema = z.strictObject({
  /** Regression tests that ran (a plain test command counts as one). */
  tests: z.int().min(0),
  /** Of those, the ones that passed steadily before any patch: the tests a candidate can be seen to break. */
  passing: z.int().min(0),
  /** Test files that ran (0 for a plain command, which runs the whole suite). */
  files: z.int().min(0),
  /** related: by imports, names or folders; package: the localized files' package; suite: all tests. */
  scope: z.enum(["related", "package", "suite", "command", "none"]),
  /** Where the list of test files came from (the test discovery), or the command run. */
  source: z.string(),
  /** With scope `command`: the command run. */
  command: z.string().optional(),
  leftOut: z.array(z.strictObject({ file: z.string(), reason: z.string() })).default([]),
  /** Why no regression test could serve as evidence, when none could. */
  why: z.string().optional(),
});
export type RegressionSummary = z.output<typeof regressionSummarySchema>;

/** What a suggestion lacks: a reproduction test, or a regression test that could run. */
export const suggestionBasisSchema = z.enum(["no-reproduction", "no-regression"]);
export type SuggestionBasis = z.output<typeof suggestionBasisSchema>;

const locationSchema = z.strictObject({ path: z.string(), startLine: z.int(), endLine: z.int() });

export const reportSchema = z.strictObject({
  decision: z.enum(["patch", "abstain"]),
  /** Why this decision: a sentence a maintainer can read. */
  reason: z.string().min(1),
  /** Why the run ended before its decision, when it did (budget, outage, interruption…). */
  stopped: z.string().optional(),
  /** The issue, when the caller knows it: the pull request's title comes from it. */
  issue: z.strictObject({ number: z.int().min(1), title: z.string() }).optional(),
  /** The repository at the commit the run (and its patch) was validated on; absent in scripted reports. */
  repo: z.strictObject({ key: z.string(), commit: z.string() }).optional(),
  /** With "patch": the chosen, validated group's edits and diff; publishing applies the diff. */
  patch: z
    .strictObject({
      group: z.string().default(""),
      diff: z.string().default(""),
      edits: z.array(fileEditSchema).default([]),
      changedPaths: z.array(z.string()).default([]),
    })
    .refine((patch) => patch.edits.length > 0 || patch.diff !== "", {
      message: "a patch needs edits or a diff",
    })
    .optional(),
  /**
   * With "abstain": a candidate offered for a human to judge, never a PR — one that breaks no regression
   * test when no reproduction test exists, or one that fixes the reproduction tests when no regression
   * test could run.
   */
  suggestion: z
    .strictObject({ group: z.string().default(""), diff: z.string().min(1), basis: suggestionBasisSchema })
    .optional(),
  localization: z
    .strictObject({
      files: z.array(z.string()).default([]),
      elements: z.array(z.string()).default([]),
      locationSets: z.array(z.array(locationSchema)).default([]),
      notices: z.array(z.string()).default([]),
    })
    .prefault({}),
  reproduction: z
    .strictObject({
      tests: z.array(reproductionRowSchema).default([]),
      kept: z.array(z.string()).default([]),
      framework: z.string().nullable().default(null),
    })
    .prefault({}),
  candidates: z.array(candidateRowSchema).default([]),
  groups: z.array(groupRowSchema).default([]),
  /** The evidence table of the chosen group (or of the best group when abstaining). */
  evidence: z.array(testRowSchema).default([]),
  /** How many regression tests ran, from where, and what was left out; absent: "not recorded". */
  regressionSummary: regressionSummarySchema.optional(),
  /** Tokens and dollars per stage, from the run's ledger. */
  usage: z.strictObject({
    stages: z.array(stageUsageSchema).default([]),
    tokens: z.int().min(0),
    dollars: z.number().min(0),
    /** The run's ceilings (limits.maxTokensPerRun, limits.maxDollarsPerRun). */
    limits: z.strictObject({ maxTokens: z.number().min(0), maxDollars: z.number().min(0) }).optional(),
    /** Replies cut to their reservation, one line each. */
    notes: z.array(z.string()).default([]),
  }),
  seconds: z.number().min(0).default(0),
});
export type Report = z.output<typeof reportSchema>;
/** A report as written by hand (scripts, tests): the defaults filled in by `reportSchema.parse`. */
export type ReportInput = z.input<typeof reportSchema>;
