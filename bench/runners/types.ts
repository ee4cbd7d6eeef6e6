import type { SandboxFile } from "../../src/sandbox/sandbox.ts";
import { WORKDIR } from "../../src/sandbox/sandbox.ts";

/** Where the independent side writes its reports inside the container (outside the workspace). */
export const OWN_DIR = "/tmp/autofix-bench";

/** Tests per outcome. `failed` holds failures and errors (a failing hook, a collection error). */
export type Counts = { passed: number; failed: number; skipped: number };

/** What one side saw: the test files it runs and the per-test counts (null when it could not tell). */
export type SideResult = {
  version: string;
  files: string[] | null;
  counts: Counts | null;
  /** Full test titles (suite titles and test title joined by spaces) per outcome, when known. */
  titles?: { passed: string[]; failed: string[] };
  problem: string | null;
};

export type OwnResult = SideResult;

/** The independent side's command in the container and the reports to read back. */
export type OwnPlan = { command: string; files: SandboxFile[]; collect: string[] };

/** Absolute container paths or `./x` → repository-relative, sorted, each once. */
export function relativeFiles(files: readonly string[]): string[] {
  const prefix = `${WORKDIR}/`;
  const relative = files.map((file) =>
    file.startsWith(prefix) ? file.slice(prefix.length) : file.replace(/^\.\//, ""),
  );
  return [...new Set(relative)].sort();
}
