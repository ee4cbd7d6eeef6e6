import { z } from "zod";
import { fileEditSchema } from "./edit.ts";
import { figuresSchema, STAGES } from "./progress.ts";

/** One row of the evidence table: a test's outcome before and after the patch, and how it was run. */
export const evidenceSchema = z.strictObject({
  test: z.string().min(1),
  /** `pass`, `fail`, `error`, … as the test runner reported it. */
  before: z.string().min(1),
  after: z.string().min(1),
  kind: z.enum(["reproduction", "regression"]).optional(),
  command: z.string().optional(),
  exitCode: z.int().nullable().optional(),
});
export type Evidence = z.output<typeof evidenceSchema>;

/** Model spending of one pipeline stage (from the run's ledger). */
export const usageRowSchema = z.strictObject({
  stage: z.string().min(1),
  calls: z.int().min(0),
  tokens: z.int().min(0),
  dollars: z.number().min(0),
});
export type UsageRow = z.output<typeof usageRowSchema>;

/** One group of equivalent candidates: tested once, its size is its vote. */
export const groupSummarySchema = z.strictObject({
  key: z.string().min(1),
  votes: z.int().min(0),
  validated: z.boolean(),
  /** Why it was not validated (empty when it was). */
  why: z.string().default(""),
  diffSize: z.int().min(0).default(0),
});

export const candidateSummarySchema = z.strictObject({
  sampled: z.int().min(0),
  accepted: z.int().min(0),
  /** Refusal reason → how many candidates were refused for it. */
  refused: z.record(z.string(), z.int().min(0)).default({}),
  groups: z.array(groupSummarySchema).default([]),
});
export type CandidateSummary = z.output<typeof candidateSummarySchema>;

export const localizationTraceSchema = z.strictObject({
  files: z.array(z.string()).default([]),
  elements: z.array(z.string()).default([]),
  /** `path:start-end`, one entry per edit location (all sampled sets). */
  locations: z.array(z.string()).default([]),
  notices: z.array(z.string()).default([]),
  /** Reproduction tests tried: `file — kept (assertion): …` / `… rejected (import error): …`. */
  reproduction: z.array(z.string()).default([]),
});
export type LocalizationTrace = z.output<typeof localizationTraceSchema>;

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
export type SuggestionBasis = "no-reproduction" | "no-regression";

export const runReportSchema = z.strictObject({
  decision: z.enum(["patch", "abstain"]),
  /** Why this decision: a sentence a maintainer can read. */
  reason: z.string().min(1),
  stages: z.array(z.strictObject({ stage: z.enum(STAGES), figures: figuresSchema })).default([]),
  evidence: z.array(evidenceSchema).default([]),
  /** Absent in reports that predate it (or scripted ones): rendered as "not recorded". */
  regressionSummary: regressionSummarySchema.optional(),
  tokens: z.int().min(0),
  dollars: z.number().min(0),
  /** The run's token ceiling (limits.maxTokensPerRun); absent in reports that predate it. */
  budgetTokens: z.int().min(0).optional(),
  /** Present when `decision` is `patch`. */
  patch: z
    .strictObject({
      title: z.string().min(1),
      summary: z.string().min(1),
      edits: z.array(fileEditSchema).default([]),
      /** The validated unified diff; when present, publishing applies it (`git apply`) instead of `edits`. */
      diff: z.string().optional(),
      /** The commit the patch was validated on; the branch is built on it rather than on the base's head. */
      baseCommit: z
        .string()
        .regex(/^[0-9a-f]{40}$/)
        .optional(),
    })
    .refine((patch) => patch.edits.length > 0 || (patch.diff ?? "") !== "", {
      message: "a patch needs edits or a diff",
    })
    .optional(),
  /** With `abstain`: a candidate without the full evidence a patch needs — shown, never pushed. */
  suggestion: z.strictObject({ diff: z.string().min(1), note: z.string() }).optional(),
  /** Free-form localization trace (scripted reports); the structured one is `localization`. */
  trace: z.string().default(""),
  localization: localizationTraceSchema.optional(),
  candidates: candidateSummarySchema.optional(),
  usage: z.array(usageRowSchema).default([]),
});
export type RunReport = z.output<typeof runReportSchema>;
