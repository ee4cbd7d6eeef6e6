import picomatch from "picomatch";
import { ALWAYS_PROTECTED } from "../config/schema.ts";
import type { Evidence, FileEdit, RunReport } from "../worker/pipeline.ts";

/**
 * What publishing a run's report means, as data (release-please style): `planPublication` decides,
 * `applyPlan` (apply.ts) carries it out against GitHub and git. Nothing here talks to anything.
 */
export type PublishPlan =
  | {
      kind: "pull-request";
      branch: string;
      base: string;
      commit: { message: string; edits: FileEdit[] };
      pull: { title: string; body: string; draft: boolean };
      /** Review is requested from the person who triggered the run. */
      reviewer: string;
    }
  | { kind: "abstain"; message: string };

export type PlanContext = {
  issueNumber: number;
  defaultBranch: string;
  triggeredBy: string;
  branchPrefix: string;
  draft: boolean;
  protectedPaths: readonly string[];
  budgetDollars: number;
};

export function branchFor(prefix: string, issueNumber: number): string {
  return `${prefix}issue-${issueNumber}`;
}

export function planPublication(report: RunReport, context: PlanContext): PublishPlan {
  if (report.decision === "abstain" || report.patch === undefined) {
    return { kind: "abstain", message: abstainMessage(report, report.reason) };
  }
  const protectedHits = protectedEdits(report.patch.edits, context.protectedPaths);
  if (protectedHits.length > 0) {
    const reason =
      `the only candidate patch changes protected paths (${protectedHits.map((p) => `\`${p}\``).join(", ")}), ` +
      "which autofix never changes";
    return { kind: "abstain", message: abstainMessage(report, reason) };
  }
  const { title, summary, edits } = report.patch;
  return {
    kind: "pull-request",
    branch: branchFor(context.branchPrefix, context.issueNumber),
    base: context.defaultBranch,
    commit: { message: `${title}\n\nFixes #${context.issueNumber}`, edits },
    pull: { title, body: pullBody(report, summary, context), draft: context.draft },
    reviewer: context.triggeredBy,
  };
}

/** Paths of edits that hit a protected glob (`.github/**` always counts). */
export function protectedEdits(edits: readonly FileEdit[], globs: readonly string[]): string[] {
  const isProtected = picomatch([...ALWAYS_PROTECTED, ...globs], { dot: true });
  return [...new Set(edits.map((edit) => edit.path).filter((path) => isProtected(path)))];
}

function pullBody(report: RunReport, summary: string, context: PlanContext): string {
  return [
    `Fixes #${context.issueNumber}`,
    "",
    summary,
    "",
    "### Evidence",
    "",
    evidenceTable(report.evidence),
    "",
    "<details><summary>Localization trace and candidates</summary>",
    "",
    "```text",
    report.trace.replace(/```/g, "`\u200b``"),
    "```",
    "",
    "</details>",
    "",
    `Spent ${report.tokens.toLocaleString("en-US")} tokens, $${report.dollars.toFixed(2)} of $${context.budgetDollars.toFixed(2)}.`,
    "",
    "_Opened by autofix as a draft: review it like any contribution; autofix never merges._",
  ].join("\n");
}

export function evidenceTable(evidence: readonly Evidence[]): string {
  if (evidence.length === 0) return "_No test evidence was recorded._";
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ");
  const mark = (result: Evidence["before"]) => (result === "pass" ? "✅ pass" : `❌ ${result}`);
  return [
    "| test | before | after |",
    "|---|---|---|",
    ...evidence.map((row) => `| \`${cell(row.test)}\` | ${mark(row.before)} | ${mark(row.after)} |`),
  ].join("\n");
}

function abstainMessage(report: RunReport, reason: string): string {
  const tried = report.stages.map(
    (s) =>
      `${s.stage} (${
        Object.entries(s.figures)
          .map(([k, v]) => `${k}: ${v}`)
          .join(", ") || "no figures"
      })`,
  );
  return [
    `**Why no pull request:** ${reason}`,
    "",
    tried.length > 0
      ? `**What was tried:** ${tried.join("; ")}.`
      : "**What was tried:** no stage reported figures.",
    "",
    "Add details to the issue (steps to reproduce, the failing test) and remove and re-add the trigger label to try again.",
  ].join("\n");
}
