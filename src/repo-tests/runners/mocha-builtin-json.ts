import { z } from "zod";
import { clip, jsTestId, REPORT_DIR, type TestResult } from "../types.ts";
import { relativeToWorkspace } from "./jest-json.ts";

/** Mocha's own `json` reporter's output (stdout redirected): only for mocha < 1.3, which cannot load ours. */
export const MOCHA_BUILTIN_REPORT = `${REPORT_DIR}/mocha-builtin.json`;

/** Oldest mocha that loads a reporter by path (bin/_mocha `require(program.reporter)`, mocha 1.3.0). */
export const MOCHA_BUILTIN_ONLY_VERSIONS = "0.*|1.[0-2].*";

const testSchema = z.object({
  title: z.string(),
  fullTitle: z.string(),
  file: z.string().optional(),
  duration: z.number().nullish(),
  err: z.object({ message: z.string().optional(), stack: z.string().optional() }).passthrough().optional(),
});
const reportSchema = z.object({
  tests: z.array(testSchema),
  passes: z.array(testSchema).default([]),
  failures: z.array(testSchema).default([]),
});

/**
 * The report follows whatever the tests printed, so it is read from its last `{ "stats"` on. Titles
 * are the full title as one piece: the reporter joins suites with spaces and keeps no path.
 */
export function parseMochaBuiltinJson(output: string): TestResult[] {
  const start = output.lastIndexOf('{\n  "stats"');
  let json: unknown;
  try {
    json = JSON.parse(output.slice(Math.max(0, start)));
  } catch {
    return [];
  }
  const report = reportSchema.safeParse(json);
  if (!report.success) return [];
  const passed = new Set(report.data.passes.map((test) => test.fullTitle));
  const failed = new Set(report.data.failures.map((test) => test.fullTitle));
  return report.data.tests.map((test) => {
    const file = test.file === undefined ? null : relativeToWorkspace(test.file);
    const message = clip(test.err?.stack ?? test.err?.message);
    return {
      id: jsTestId(file ?? "(unknown file)", [test.fullTitle]),
      file,
      outcome: failed.has(test.fullTitle) ? "failed" : passed.has(test.fullTitle) ? "passed" : "skipped",
      ...(test.duration == null ? {} : { durationMs: Math.round(test.duration) }),
      ...(message ? { message } : {}),
    };
  });
}
