import { z } from "zod";

/**
 * The run's contract, shared by every layer (the pipeline reports it, the worker, the CLI and the App
 * show and store it): its stages and progress here, its report in report.ts, its edits in edit.ts.
 */
export const STAGES = ["localize", "reproduce", "repair", "validate"] as const;
export type Stage = (typeof STAGES)[number];

/** Figures a stage reports, shown as `name: value` (e.g. `files: 3`, `tests kept: 1`). */
export const figuresSchema = z.record(z.string(), z.union([z.number(), z.string()]));

export const progressSchema = z.strictObject({
  stage: z.enum(STAGES),
  /** `running` while the stage works, `done` once its figures are final. */
  state: z.enum(["running", "done"]),
  figures: figuresSchema.default({}),
  /** Totals of the run so far. */
  tokens: z.int().min(0),
  dollars: z.number().min(0),
});
export type Progress = z.output<typeof progressSchema>;
