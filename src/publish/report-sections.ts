import type { TestRow } from "../contract/report.ts";

/**
 * Markdown pieces shared by report.md, the pull request body and the abstain comment. Pure functions of the
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
  return `${passed(result) ? "✅" : "❌"} ${cell(result || "unknown")}`;
}

/** Unchanged passing regression tests listed at most (GitHub refuses bodies over 65,536 characters). */
const STEADY_ROWS_SHOWN = 40;

/**
 * The evidence table, the one renderer of it (report.md, the PR body, the abstain comment): each test
 * before/after, and the run that produced the "after" (its exit code; the command, listed once under
 * the table because every test of a run shares it).
 */
export function evidenceTable(all: readonly TestRow[]): string {
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
