import type { Report, SuggestionBasis } from "../contract/report.ts";
import { spendVersusCeiling } from "../llm/spend-line.ts";
import { regressionSection, suggestionNote } from "./regression-section.ts";
import { cell, code, codeBlock, evidenceTable } from "./report-sections.ts";

const SUGGESTION_TITLES: Record<SuggestionBasis, string> = {
  "no-reproduction": "Suggestion (not proven: no reproduction test)",
  "no-regression": "Suggestion (not proven: no regression test could run)",
};

/** report.md: the decision first, then the evidence, then how the run got there. Pure. */
export function renderReportMarkdown(report: Report): string {
  const out: string[] = [];
  const verdict = report.decision === "patch" ? "Patch proposed" : "No patch proposed (abstained)";
  out.push(`# autofix report — ${verdict}`, "", `**Why:** ${report.reason}`, "");
  const repo =
    report.repo === undefined ? "" : `Repository \`${report.repo.key}\` at \`${report.repo.commit}\`; `;
  out.push(`${repo}${report.seconds.toFixed(1)} s.`, "");
  if (report.patch) out.push("## Patch", "", codeBlock(report.patch.diff, "diff"), "");
  if (report.suggestion) {
    const { basis } = report.suggestion;
    out.push(
      `## ${SUGGESTION_TITLES[basis]}`,
      "",
      `${suggestionNote(basis, report.regressionSummary)} It is offered for a human to judge, never as a pull request.`,
      "",
      codeBlock(report.suggestion.diff, "diff"),
      "",
    );
  }
  out.push("## Evidence", "", evidenceTable(report.evidence), "");
  out.push("## Regression evidence", "", regressionSection(report.regressionSummary), "");
  out.push("## Reproduction tests", "");
  if (report.reproduction.tests.length === 0) out.push("None was written.", "");
  for (const test of report.reproduction.tests) out.push(`- \`${test.id}\` — ${test.reason}`);
  out.push("", "## Candidates and groups", "");
  const refused = report.candidates.filter((c) => c.status === "refused");
  out.push(
    `${report.candidates.length} candidates sampled, ${refused.length} refused, ${report.groups.length} distinct groups.`,
    "",
    "| group | votes | lines changed | validated | why not |",
    "|---|---:|---:|---|---|",
    ...report.groups.map(
      (g) =>
        `| ${code(g.key.slice(0, 12))} | ${g.votes} | ${g.diffSize} | ${g.validated ? "yes" : "no"} | ${cell(g.why)} |`,
    ),
    "",
  );
  for (const candidate of refused) out.push(`- ${candidate.id}: refused — ${cell(candidate.reason ?? "")}`);
  out.push("", "## Localization", "");
  out.push(`Files: ${report.localization.files.map(code).join(", ") || "none"}`, "");
  out.push(`Elements: ${report.localization.elements.map(code).join(", ") || "none"}`, "");
  report.localization.locationSets.forEach((set, i) => {
    out.push(`Location set ${i + 1}: ${set.map((l) => `${l.path}:${l.startLine}-${l.endLine}`).join(", ")}`);
  });
  for (const notice of report.localization.notices) out.push(`- note: ${notice}`);
  out.push(
    "",
    "## Tokens and dollars",
    "",
    "| stage | calls | prompt | completion | dollars |",
    "|---|---:|---:|---:|---:|",
  );
  for (const row of report.usage.stages) {
    out.push(
      `| ${row.stage} | ${row.calls} | ${row.promptTokens} | ${row.completionTokens} | ${row.dollars.toFixed(4)} |`,
    );
  }
  out.push(`| **total** | | | ${report.usage.tokens} tokens | ${report.usage.dollars.toFixed(4)} |`, "");
  const { limits, notes } = report.usage;
  if (limits) {
    const ceiling = { tokens: limits.maxTokens, dollars: limits.maxDollars };
    out.push(`Spent ${spendVersusCeiling(report.usage, ceiling)}.`, "");
  }
  if (notes.length > 0) out.push(...notes.map((note) => `- note: ${note}`), "");
  return out.join("\n");
}
