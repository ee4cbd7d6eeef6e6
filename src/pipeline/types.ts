import type { AutofixConfig } from "../config/schema.ts";
import type { Progress } from "../contract/progress.ts";
import type { Ledger } from "../llm/ledger.ts";
import type { Llm } from "../llm/llm.ts";
import type { IssueText } from "../localize/types.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";

/**
 * The fix pipeline's contract: a repository snapshot and an issue in, a `Report` (src/contract/report.ts) out. The CLI
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
