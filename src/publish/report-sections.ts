import type { CandidateSummary, Evidence, LocalizationTrace, RunReport } from "../contract/report.ts";
import { spendVersusCeiling } from "../llm/spend-line.ts";

/**
 * Markdown pieces shared by the pull request body and the abstain comment. Pure functions of the
 * report: everything the model or the repository wrote is escaped or codeBlock, so it cannot close a
 * table cell, a code fence or a `<details>` block.
 */

/** One line, no pipes: safe in a table cell (or a list item) once HTML is escaped too. */
function oneLine(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
}

/** Prose safe inside a table cell or list item: one line, no pipes, no HTML (a `</details>` stays text). */
export function cell(text: string): string {
  return escapeHtml(oneLine(text));
}

/** A code fence around `text`, longer than any backtick run inside it. */
export function codeBlock(text: string, language = "text"): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\n$/, "")}\n${fence}`;
}

/** Inline code that cannot be closed by the text itself. */
export function code(text: string): string {
  const clean = oneLine(text);
  return clean.includes("`") ? `<code>${escapeHtml(clean)}</code>` : `\`${clean}\``;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function collapsed(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

/** Runners say `pass` or `passed`; anything else (fail, error, missing, …) did not pass. */
export function passed(result: string): boolean {
  return result === "pass" || result === "passed";
}

function mark(result: string): string {
  return `${passed(result) ? "✅" : "❌"} ${cell(result)}`;
}

/**
 * Each test: before/after, and the run that produced the "after" (its exit code; the command, listed
 * once under the table because every test of a run shares it).
 */
/** Unchanged passing regression tests listed at most (GitHub refuses bodies over 65,536 characters). */
const STEADY_ROWS_SHOWN = 40;

export function evidenceTable(all: readonly Evidence[]): string {
  if (all.length === 0) return "_No test evidence was recorded._";
  // Every reproduction test and every test whose outcome changed is shown; tests that passed before
  // and after are summarized past the first few, so a large suite cannot overflow the body.
  const steady = all.filter((row) => row.kind !== "reproduction" && passed(row.before) && passed(row.after));
  const hidden = new Set(steady.slice(STEADY_ROWS_SHOWN));
  const evidence = all.filter((row) => !hidden.has(row));
  const commands = [...new Set(evidence.flatMap((row) => (row.command === undefined ? [] : [row.command])))];
  const withRuns = commands.length > 0 || evidence.some((row) => row.exitCode !== undefined);
  const header = withRuns
    ? ["| test | before | after | run → exit code |", "|---|---|---|---|"]
    : ["| test | before | after |", "|---|---|---|"];
  const rows = evidence.map((row) => {
    const test = `${code(row.test)}${row.kind === "reproduction" ? " (reproduction)" : ""}`;
    const base = `| ${test} | ${mark(row.before)} | ${mark(row.after)} |`;
    if (!withRuns) return base;
    const run = row.command === undefined ? "—" : `#${commands.indexOf(row.command) + 1}`;
    const exit = row.exitCode === undefined ? "—" : row.exitCode === null ? "killed" : String(row.exitCode);
    return `${base} ${run} → ${exit} |`;
  });
  const runs = commands.map((command, i) => `- #${i + 1}: ${code(command)}`);
  const more =
    hidden.size > 0
      ? [`| _and ${hidden.size} more regression tests that passed before and after_ | | | |`]
      : [];
  return [...header, ...rows, ...more, ...(runs.length > 0 ? ["", "Runs:", ...runs] : [])].join("\n");
}

/** Files → elements → lines, and the reproduction tests tried; plus any free-form trace. */
export function localizationSection(localization: LocalizationTrace | undefined, trace: string): string {
  const parts: string[] = [];
  if (localization !== undefined) {
    const list = (title: string, items: readonly string[]) =>
      items.length === 0 ? [] : [`**${title}:**`, ...items.map((item) => `- ${code(item)}`), ""];
    parts.push(
      ...list("Files", localization.files),
      ...list("Functions and classes", localization.elements),
      ...list("Edit locations", localization.locations),
    );
    if (localization.reproduction.length > 0) {
      parts.push(
        "**Reproduction tests tried:**",
        ...localization.reproduction.map((r) => `- ${cell(r)}`),
        "",
      );
    }
    if (localization.notices.length > 0) {
      parts.push("**Notices:**", ...localization.notices.map((n) => `- ${cell(n)}`), "");
    }
  }
  if (trace.trim() !== "") parts.push(codeBlock(trace));
  return parts.length === 0 ? "_No localization trace was recorded._" : parts.join("\n").trim();
}

/** How many candidates were sampled, refused (and why) and how the rest grouped and fared. */
export function candidateSection(candidates: CandidateSummary): string {
  const lines = [
    `${candidates.sampled} sampled, ${candidates.accepted} applied cleanly, ` +
      `${candidates.groups.length} distinct after normalization, ` +
      `${candidates.groups.filter((g) => g.validated).length} validated.`,
  ];
  const refused = Object.entries(candidates.refused);
  if (refused.length > 0) {
    lines.push("", "**Refused:**", ...refused.map(([why, count]) => `- ${count} × ${cell(why)}`));
  }
  if (candidates.groups.length > 0) {
    lines.push(
      "",
      "| group | votes | diff lines | validated | why not |",
      "|---|---|---|---|---|",
      ...candidates.groups.map(
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
export function spendSection(report: RunReport, budgetDollars: number, withTotal = true): string {
  const total = !withTotal
    ? ""
    : report.budgetTokens !== undefined
      ? `Spent ${spendVersusCeiling(report, { tokens: report.budgetTokens, dollars: budgetDollars })}.`
      : `Spent ${report.tokens.toLocaleString("en-US")} tokens, ` +
        `$${report.dollars.toFixed(2)} of $${budgetDollars.toFixed(2)}.`;
  if (report.usage.length === 0) return total;
  const rows = report.usage.map(
    (u) =>
      `| ${cell(u.stage)} | ${u.calls} | ${u.tokens.toLocaleString("en-US")} | $${u.dollars.toFixed(4)} |`,
  );
  const table = collapsed(
    "Spending per stage",
    ["| stage | calls | tokens | dollars |", "|---|---|---|---|", ...rows].join("\n"),
  );
  return total === "" ? table : `${total}\n\n${table}`;
}
