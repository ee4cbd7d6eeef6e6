import type { Stage } from "../contract/progress.ts";
import type { Report } from "../contract/report.ts";
import { spendVersusCeiling } from "../llm/spend-line.ts";
import { cell, code, collapsed } from "./report-sections.ts";

/** Files → elements → edit locations, the reproduction tests tried, and the run's notices. */
export function localizationSection(report: Report): string {
  const { localization, reproduction } = report;
  const list = (title: string, items: readonly string[]) =>
    items.length === 0 ? [] : [`**${title}:**`, ...items.map((item) => `- ${code(item)}`), ""];
  const locations = [
    ...new Set(localization.locationSets.flat().map((l) => `${l.path}:${l.startLine}-${l.endLine}`)),
  ];
  const parts = [
    ...list("Files", localization.files),
    ...list("Functions and classes", localization.elements),
    ...list("Edit locations", locations),
  ];
  if (reproduction.tests.length > 0) {
    parts.push(
      "**Reproduction tests tried:**",
      ...reproduction.tests.map((t) => `- ${cell(`${t.file} — ${t.reason}`)}`),
      "",
    );
  }
  if (localization.notices.length > 0) {
    parts.push("**Notices:**", ...localization.notices.map((n) => `- ${cell(n)}`), "");
  }
  return parts.length === 0 ? "_No localization trace was recorded._" : parts.join("\n").trim();
}

/** Refusal reason (its first clause) → how many candidates were refused for it. */
export function refusalCounts(report: Report): Map<string, number> {
  const refused = new Map<string, number>();
  for (const c of report.candidates) {
    if (c.status !== "refused") continue;
    const why = (c.reason ?? "refused").split(/[:\n]/)[0]?.trim() || "refused";
    refused.set(why, (refused.get(why) ?? 0) + 1);
  }
  return refused;
}

/** How many candidates were sampled, refused (and why) and how the rest grouped and fared. */
export function candidateSection(report: Report): string {
  const { candidates, groups } = report;
  const accepted = candidates.filter((c) => c.status === "accepted").length;
  const lines = [
    `${candidates.length} sampled, ${accepted} applied cleanly, ` +
      `${groups.length} distinct after normalization, ` +
      `${groups.filter((g) => g.validated).length} validated.`,
  ];
  const refused = [...refusalCounts(report)];
  if (refused.length > 0) {
    lines.push("", "**Refused:**", ...refused.map(([why, count]) => `- ${count} × ${cell(why)}`));
  }
  if (groups.length > 0) {
    lines.push(
      "",
      "| group | votes | diff lines | validated | why not |",
      "|---|---|---|---|---|",
      ...groups.map(
        (g) =>
          `| ${code(g.key)} | ${g.votes} | ${g.diffSize} | ${g.validated ? "✅" : "❌"} | ${cell(g.why) || "—"} |`,
      ),
    );
  }
  return lines.join("\n");
}

/**
 * Tokens and dollars against the run's dollar budget, with the per-stage rows collapsed; without the
 * total line where the status comment around it already shows it.
 */
export function spendSection(report: Report, budgetDollars: number, withTotal = true): string {
  const { usage } = report;
  const total = !withTotal
    ? ""
    : usage.limits !== undefined
      ? `Spent ${spendVersusCeiling(usage, { tokens: usage.limits.maxTokens, dollars: budgetDollars })}.`
      : `Spent ${usage.tokens.toLocaleString("en-US")} tokens, ` +
        `$${usage.dollars.toFixed(2)} of $${budgetDollars.toFixed(2)}.`;
  if (usage.stages.length === 0) return total;
  const rows = usage.stages.map(
    (u) =>
      `| ${cell(u.stage)} | ${u.calls} | ${(u.promptTokens + u.completionTokens).toLocaleString("en-US")} | $${u.dollars.toFixed(4)} |`,
  );
  const table = collapsed(
    "Spending per stage",
    ["| stage | calls | tokens | dollars |", "|---|---|---|---|", ...rows].join("\n"),
  );
  return total === "" ? table : `${total}\n\n${table}`;
}

/** Each stage's figures as the report has them: the status comment's last word and "What was tried". */
export function stageFigures(report: Report): { stage: Stage; figures: Record<string, number> }[] {
  const { localization, reproduction, candidates, groups } = report;
  return [
    {
      stage: "localize",
      figures: { files: localization.files.length, elements: localization.elements.length },
    },
    {
      stage: "reproduce",
      figures: { "tests written": reproduction.tests.length, "tests kept": reproduction.kept.length },
    },
    { stage: "repair", figures: { candidates: candidates.length, groups: groups.length } },
    { stage: "validate", figures: { validated: groups.filter((g) => g.validated).length } },
  ];
}
