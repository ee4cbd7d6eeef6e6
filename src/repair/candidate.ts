import type { LanguageRegistry } from "../code-index/languages.ts";
import { applyEdits } from "./apply.ts";
import { candidateKey } from "./normalize.ts";
import { parseEdits } from "./parse-edits.ts";
import type { PathGuard } from "./protected.ts";
import { checkSyntax, type SyntaxRegression } from "./syntax.ts";
import type { AppliedEdit, CandidateRefusalKind, Edit, EditFailure, FileMap, ParseProblem } from "./types.ts";
import { unifiedDiff } from "./unified-diff.ts";

export type AcceptedCandidate = {
  status: "accepted";
  id: string;
  edits: Edit[];
  applied: AppliedEdit[];
  files: Map<string, string>;
  changedPaths: string[];
  /** Normalization key: candidates with equal keys are the same fix. */
  key: string;
  diff: string;
  /** Lines added plus lines removed. */
  diffSize: number;
  /** Changed files not syntax-checked (no grammar). */
  uncheckedSyntax: string[];
};

export type RefusedCandidate = {
  status: "refused";
  id: string;
  refusal: CandidateRefusalKind;
  reason: string;
  edits: Edit[];
  problems: ParseProblem[];
  failures: EditFailure[];
  syntax: SyntaxRegression[];
};

export type Candidate = AcceptedCandidate | RefusedCandidate;

export interface CandidateContext {
  registry: LanguageRegistry;
  /** The files the model may edit (at least those it was shown), by repository-relative path. */
  original: FileMap;
  isProtected: PathGuard;
}

/** Model answer → a candidate ready for grouping, or a refusal that says exactly why. */
export async function prepareCandidate(
  id: string,
  answer: string,
  context: CandidateContext,
): Promise<Candidate> {
  const { edits, problems } = parseEdits(answer);
  const refuse = (
    refusal: CandidateRefusalKind,
    reason: string,
    extra: Partial<Pick<RefusedCandidate, "failures" | "syntax">> = {},
  ): RefusedCandidate => ({
    status: "refused",
    id,
    refusal,
    reason,
    edits,
    problems,
    failures: extra.failures ?? [],
    syntax: extra.syntax ?? [],
  });
  if (problems.some((problem) => problem.kind === "no_edits")) {
    return refuse("empty", "the answer holds no SEARCH/REPLACE edit");
  }
  if (problems.length > 0) {
    return refuse("malformed", problems.map((problem) => problem.message).join("; "));
  }
  const result = applyEdits(context.original, edits, { isProtected: context.isProtected });
  if (!result.ok) {
    const touchesProtected = result.failures.some((failure) => failure.kind === "protected_path");
    return refuse(
      touchesProtected ? "protected_path" : "edits_failed",
      result.failures.map((failure) => `edit ${failure.index + 1}: ${failure.message}`).join("; "),
      { failures: result.failures },
    );
  }
  if (result.changedPaths.length === 0) return refuse("no_change", "the edits leave every file as it was");
  const syntax = await checkSyntax(context.registry, context.original, result.files, result.changedPaths);
  if (syntax.regressions.length > 0) {
    const where = syntax.regressions.map(
      (r) => `${r.path} (${r.errorsBefore} → ${r.errorsAfter} syntax error nodes)`,
    );
    return refuse("syntax_error", `the edit breaks the syntax of ${where.join(", ")}`, {
      syntax: syntax.regressions,
    });
  }
  const { key, meaningfulPaths } = await candidateKey(
    context.registry,
    context.original,
    result.files,
    result.changedPaths,
  );
  if (meaningfulPaths.length === 0) {
    return refuse("no_change", "the edits change only comments, whitespace or formatting");
  }
  const patch = unifiedDiff(context.original, result.files, result.changedPaths);
  return {
    status: "accepted",
    id,
    edits,
    applied: result.applied,
    files: result.files,
    changedPaths: result.changedPaths,
    key,
    diff: patch.diff,
    diffSize: patch.added + patch.removed,
    uncheckedSyntax: syntax.unchecked,
  };
}
