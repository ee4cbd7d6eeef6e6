import { fileOfId, type TestResult } from "../repo-tests/types.ts";

export type FailureCause =
  | "assertion"
  | "reported_error"
  | "other_exception"
  | "import_error"
  | "syntax_error"
  | "missing_fixture"
  | "missing_file"
  | "name_error"
  | "collection_error"
  | "setup_error"
  | "passed"
  | "skipped"
  | "not_run"
  | "run_problem";

export type ReproVerdict = { id: string; keep: boolean; cause: FailureCause; reason: string };

const EXCEPTION_NAME = /\b([A-Z][A-Za-z0-9]*(?:Error|Exception))\b/;
const SYNTAX = /\b(SyntaxError|IndentationError|TabError)\b/;
const IMPORT =
  /\b(ModuleNotFoundError|ImportError)\b|Cannot find module|ERR_MODULE_NOT_FOUND|does not provide an export named|Failed to (load|resolve import)/;
const MISSING_FIXTURE = /fixture '[^']+' not found/;
const MISSING_FILE = /\bFileNotFoundError\b|\bENOENT\b/;
const NAME_ERROR = /\bNameError\b|\bReferenceError\b/;
/**
 * Assertion failures without an exception name: pytest's `assert ...`, jest/vitest `expect(...)`,
 * supertest's `Error: expected 200 "OK", got 404 "Not Found"`.
 */
const BARE_ASSERTION =
  /^\s*(E\s+)?assert\b|expect\(received\)|\bexpected\b.+\bto (be|equal|have|contain|throw|match)|^(Error: )?expected\b[^\n]*,\s*got\b/m;

/** Exception names the issue mentions (`ZeroDivisionError`, `TypeError`): failing with one is the bug. */
export function reportedErrorNames(issueText: string): string[] {
  const names = issueText.match(new RegExp(EXCEPTION_NAME.source, "g")) ?? [];
  return [...new Set(names)];
}

/**
 * Which sampled reproduction tests fail on the unpatched code *because of the bug*: by an assertion
 * or by the error the issue reports. A test broken by itself (import or syntax error, a missing
 * fixture or file, an undefined name, a setup error) is rejected, as is one that passes.
 */
export function filterReproductionTests(
  ids: readonly string[],
  run: { results: readonly TestResult[]; problem: string | null },
  reportedErrors: readonly string[],
): ReproVerdict[] {
  return ids.map((id): ReproVerdict => {
    if (run.problem) return verdict(id, "run_problem", `the run cannot be trusted: ${run.problem}`);
    const result = run.results.find((r) => r.id === id);
    const fileFailure = run.results.find((r) => r.id !== id && r.id === (result?.file ?? fileOfId(id)));
    if (!result) {
      if (fileFailure?.outcome === "error") {
        const cause = brokenTestCause(fileFailure.message ?? "") ?? "collection_error";
        return verdict(
          id,
          cause,
          `the test file failed before any test ran: ${firstLine(fileFailure.message)}`,
        );
      }
      return verdict(id, "not_run", "no result for this test");
    }
    if (result.outcome === "passed") return verdict(id, "passed", "passes on the unpatched code");
    if (result.outcome === "skipped") return verdict(id, "skipped", "was skipped");
    return verdict(id, causeOf(result, reportedErrors), firstLine(result.message));
  });
}

function causeOf(result: TestResult, reportedErrors: readonly string[]): FailureCause {
  const message = result.message ?? "";
  const named = EXCEPTION_NAME.exec(message)?.[1];
  if (result.id === result.file) return brokenTestCause(message) ?? "collection_error";
  if (named && reportedErrors.includes(named)) return "reported_error";
  const broken = brokenTestCause(message);
  if (broken) return broken;
  if (named === "AssertionError" || (!named && BARE_ASSERTION.test(message))) {
    return result.outcome === "failed" ? "assertion" : "setup_error";
  }
  return result.outcome === "error" ? "setup_error" : "other_exception";
}

function brokenTestCause(message: string): FailureCause | undefined {
  if (SYNTAX.test(message)) return "syntax_error";
  if (IMPORT.test(message)) return "import_error";
  if (MISSING_FIXTURE.test(message)) return "missing_fixture";
  if (MISSING_FILE.test(message)) return "missing_file";
  if (NAME_ERROR.test(message)) return "name_error";
  return undefined;
}

const KEPT: ReadonlySet<FailureCause> = new Set(["assertion", "reported_error"]);

function verdict(id: string, cause: FailureCause, detail: string): ReproVerdict {
  const keep = KEPT.has(cause);
  const reason = `${keep ? "kept" : "rejected"} (${cause.replaceAll("_", " ")})${detail ? `: ${detail}` : ""}`;
  return { id, keep, cause, reason };
}

function firstLine(message: string | undefined): string {
  return (message ?? "").trim().split("\n")[0]?.slice(0, 200) ?? "";
}
