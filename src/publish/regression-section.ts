import type { RegressionSummary, SuggestionBasis } from "../contract/report.ts";
import { cell, code } from "./report-sections.ts";

const SCOPES: Record<"related" | "package" | "suite", string> = {
  related: "tests related to the localized files (imports, names, folders)",
  package: "the localized files' package (none related by imports or names)",
  suite: "the whole suite",
};

/** Left-out files listed by name at most; the rest are counted. */
const LEFT_OUT_SHOWN = 10;

/**
 * "Regression evidence": how many regression tests ran (tests and files), chosen how and from which
 * discovered list, and what was left out and why. Pure; shared by report.md, the PR body and the
 * abstain comment.
 */
export function regressionSection(summary: RegressionSummary | undefined): string {
  if (summary === undefined) return "**Regression evidence:** not recorded for this run.";
  const lines = [`**Regression evidence:** ${headline(summary)}`];
  if (summary.scope !== "command" && summary.source !== "") {
    lines.push("", `Test files listed by: ${cell(summary.source)}.`);
  }
  if (summary.leftOut.length > 0) lines.push("", ...leftOutLines(summary.leftOut));
  return lines.join("\n");
}

/** What a suggestion rests on and lacks, in a sentence: never "breaks nothing" when no test could run. */
export function suggestionNote(basis: SuggestionBasis, summary: RegressionSummary | undefined): string {
  if (basis === "no-regression") {
    return "This candidate turns the reproduction tests from failing to passing, but no existing test could run to show it breaks nothing.";
  }
  const passing = summary?.passing ?? 0;
  return passing > 0
    ? `No test could show that this candidate fixes the issue; the ${plural(passing, "existing test")} that passed before still pass with it.`
    : "No test could show that this candidate fixes the issue, and no existing test could run to show it breaks nothing.";
}

function headline(summary: RegressionSummary): string {
  const { tests, passing, files, scope } = summary;
  if (scope === "command") {
    const state = passing > 0 ? "passing" : "not passing";
    return (
      `one whole-suite command, ${code(summary.command ?? "the test command")}, judged by its exit code ` +
      `(${state} before any patch; ${cell(summary.source)}).`
    );
  }
  if (scope === "none" || tests === 0) {
    return `no regression test ran — ${cell(summary.why ?? "none was selected")}.`;
  }
  const ran = `${plural(tests, "test")} in ${plural(files, "file")} ran, ${passing} passing before any patch`;
  const why = summary.why === undefined ? "" : ` — ${cell(summary.why)}`;
  return `${ran}; chosen from ${SCOPES[scope]}${why}.`;
}

function leftOutLines(leftOut: RegressionSummary["leftOut"]): string[] {
  const byReason = new Map<string, number>();
  for (const { reason } of leftOut) byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  const reasons = [...byReason].map(([reason, count]) => `${count} × ${cell(reason)}`).join("; ");
  const shown = leftOut
    .slice(0, LEFT_OUT_SHOWN)
    .map(({ file, reason }) => `- ${code(file)}: ${cell(reason)}`);
  const more = leftOut.length > LEFT_OUT_SHOWN ? [`- _and ${leftOut.length - LEFT_OUT_SHOWN} more_`] : [];
  return [`${plural(leftOut.length, "test file")} left out (${reasons}):`, ...shown, ...more];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
