import { z } from "zod";

/**
 * The contract between the worker and the repair pipeline (localize → reproduce → repair → validate).
 * The pipeline itself is built elsewhere; the worker receives it as a function, so the App, its tests
 * and demos can run any implementation of this type.
 */
export const STAGES = ["localize", "reproduce", "repair", "validate"] as const;
export type Stage = (typeof STAGES)[number];

/** Figures a stage reports, shown as `name: value` (e.g. `files: 3`, `tests kept: 1`). */
const figures = z.record(z.string(), z.union([z.number(), z.string()]));

export const progressSchema = z.strictObject({
  stage: z.enum(STAGES),
  /** `running` while the stage works, `done` once its figures are final. */
  state: z.enum(["running", "done"]),
  figures: figures.default({}),
  /** Totals of the run so far. */
  tokens: z.int().min(0),
  dollars: z.number().min(0),
});
export type Progress = z.output<typeof progressSchema>;

/** One SEARCH/REPLACE edit: `search` must occur exactly once in the file at `path`. */
export const fileEditSchema = z.strictObject({
  path: z.string().min(1),
  search: z.string().min(1),
  replace: z.string(),
});
export type FileEdit = z.output<typeof fileEditSchema>;

export const evidenceSchema = z.strictObject({
  test: z.string().min(1),
  before: z.enum(["pass", "fail", "error"]),
  after: z.enum(["pass", "fail", "error"]),
});
export type Evidence = z.output<typeof evidenceSchema>;

export const runReportSchema = z.strictObject({
  decision: z.enum(["patch", "abstain"]),
  /** Why this decision: a sentence a maintainer can read. */
  reason: z.string().min(1),
  stages: z.array(z.strictObject({ stage: z.enum(STAGES), figures })).default([]),
  evidence: z.array(evidenceSchema).default([]),
  tokens: z.int().min(0),
  dollars: z.number().min(0),
  /** Present when `decision` is `patch`. */
  patch: z
    .strictObject({
      title: z.string().min(1),
      summary: z.string().min(1),
      edits: z.array(fileEditSchema).min(1),
    })
    .optional(),
  /** Localization trace and candidate summary, shown collapsed. */
  trace: z.string().default(""),
});
export type RunReport = z.output<typeof runReportSchema>;

export type RunRequest = {
  jobId: number;
  repository: string;
  issueNumber: number;
  triggeredBy: string;
};

export type RunServices = {
  /** Fires when the job is cancelled (unlabel, close, `/autofix stop`) or the App shuts down. */
  signal: AbortSignal;
};

export type RunPipeline = (
  request: RunRequest,
  services: RunServices,
  onProgress: (progress: Progress) => void,
) => Promise<RunReport>;
