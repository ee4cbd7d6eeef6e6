import { readFileSync } from "node:fs";
import { z } from "zod";

/** One BugsJS instance (SWE-bench style, built from the BugsJS fork's Bug-N tags). */
const instanceSchema = z.object({
  instance_id: z.string(),
  base_commit: z.string().regex(/^[0-9a-f]{40}$/),
  test_commit: z.string().regex(/^[0-9a-f]{40}$/),
  fixed_commit: z.string().regex(/^[0-9a-f]{40}$/),
  problem_statement: z.string(),
  /** The gold fix: `git diff Bug-N-test Bug-N-full`. */
  patch: z.string(),
  /** The tests the fix added: `git diff Bug-N Bug-N-test`. */
  test_patch: z.string(),
  /**
   * Mocha full titles (suite titles and test title joined by spaces), when recorded; absent, the
   * bench establishes them in the sandbox.
   */
  FAIL_TO_PASS_approx: z.array(z.string()).optional(),
});
export type BugInstance = z.infer<typeof instanceSchema>;

export function loadInstances(file: string): BugInstance[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      const parsed = instanceSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** `BugsJS__Express-12` → `Express-12`. */
export function shortName(instance: BugInstance): string {
  return instance.instance_id.replace(/^BugsJS__/, "");
}

/** `BugsJS__Hessian.js-3` → `Hessian.js`. */
export function projectOf(bug: string): string {
  return bug.replace(/^BugsJS__/, "").replace(/-\d+$/, "");
}

/** Paths a unified diff touches (its `+++ b/…` lines). */
export function diffPaths(diff: string): string[] {
  return [...diff.matchAll(/^\+\+\+ b\/(.+)$/gm)].flatMap((match) => (match[1] ? [match[1]] : []));
}
