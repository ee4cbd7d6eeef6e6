import type { FileEdit } from "../contract/edit.ts";
import type { Report } from "../contract/report.ts";
import { type ProtectedHit, protectedPathMatcher } from "../repair/protected.ts";
import { changedPaths, patchSummary, pullTitle } from "./pull-text.ts";
import { regressionSection, suggestionNote } from "./regression-section.ts";
import { codeBlock, collapsed, evidenceTable } from "./report-sections.ts";
import { candidateSection, localizationSection, spendSection, stageFigures } from "./run-sections.ts";

/**
 * What publishing a run's report means, as data (release-please style): `planPublication` decides,
 * `applyPlan` (apply.ts) carries it out against GitHub and git. Nothing here talks to anything.
 */
export type PublishPlan =
  | {
      kind: "pull-request";
      branch: string;
      base: string;
      commit: { message: string; edits: FileEdit[]; diff?: string; baseCommit?: string };
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

export function planPublication(report: Report, context: PlanContext): PublishPlan {
  if (report.decision === "abstain" || report.patch === undefined) {
    return { kind: "abstain", message: abstainMessage(report, report.reason, context.budgetDollars) };
  }
  const protectedHits = protectedHitsOf(changedPaths(report), context.protectedPaths);
  if (protectedHits.length > 0) {
    const named = protectedHits.map((hit) => `\`${hit.path}\` (${hit.rule})`).join(", ");
    const reason = `the only candidate patch changes protected paths (${named}), which autofix never changes`;
    return { kind: "abstain", message: abstainMessage(report, reason, context.budgetDollars) };
  }
  const { edits, diff } = report.patch;
  const title = pullTitle(context.issueNumber, report.issue?.title);
  const baseCommit = report.repo?.commit;
  return {
    kind: "pull-request",
    branch: branchFor(context.branchPrefix, context.issueNumber),
    base: context.defaultBranch,
    commit: {
      message: `${title}\n\nFixes #${context.issueNumber}`,
      edits,
      ...(diff === "" ? {} : { diff }),
      ...(baseCommit === undefined || baseCommit === "" ? {} : { baseCommit }),
    },
    pull: { title, body: pullBody(report, context), draft: context.draft },
    reviewer: context.triggeredBy,
  };
}

/** Paths of edits that are protected: the built-in rules (protected.ts) plus the configured globs. */
export function protectedEdits(edits: readonly FileEdit[], globs: readonly string[]): string[] {
  return protectedHitsOf(
    edits.map((edit) => edit.path),
    globs,
  ).map((hit) => hit.path);
}

function protectedHitsOf(paths: readonly string[], globs: readonly string[]): ProtectedHit[] {
  const matcher = protectedPathMatcher(globs);
  const hits = new Map<string, ProtectedHit>();
  for (const path of paths) {
    const hit = matcher(path);
    if (hit && !hits.has(hit.path)) hits.set(hit.path, hit);
  }
  return [...hits.values()];
}

function pullBody(report: Report, context: PlanContext): string {
  const sections = [
    `Fixes #${context.issueNumber}`,
    "",
    patchSummary(report),
    "",
    `**Why this patch:** ${report.reason}`,
    "",
    "### Evidence",
    "",
    evidenceTable(report.evidence),
    "",
    regressionSection(report.regressionSummary),
    "",
    collapsed("Localization trace", localizationSection(report)),
    "",
    collapsed("Candidates and groups", candidateSection(report)),
  ];
  sections.push(
    "",
    spendSection(report, context.budgetDollars),
    "",
    `_Opened by autofix${context.draft ? " as a draft" : ""}: review it like any contribution; autofix never merges. ` +
      "Comment `/autofix retry` to run it again; once you push to this branch, autofix leaves it alone._",
  );
  return withinGitHubLimit(sections.join("\n"));
}

/** GitHub refuses issue and PR bodies over 65,536 characters; keep a margin for the status marker. */
export const BODY_MAX_CHARS = 60_000;

/** Cut an over-long body at a line boundary and say so, rather than fail to publish at all. */
export function withinGitHubLimit(body: string): string {
  if (body.length <= BODY_MAX_CHARS) return body;
  const note = "\n\n_…cut here: the full report is longer than a GitHub comment allows._";
  const cut = body.lastIndexOf("\n", BODY_MAX_CHARS - note.length);
  return `${body.slice(0, cut > 0 ? cut : BODY_MAX_CHARS - note.length)}${note}`;
}

function abstainMessage(report: Report, reason: string, budgetDollars: number): string {
  const tried = stageFigures(report).map(
    ({ stage, figures }) =>
      `${stage} (${Object.entries(figures)
        .map(([k, v]) => `${k}: ${v}`)
        .join(", ")})`,
  );
  const lines = [
    `**Why no pull request:** ${reason}`,
    "",
    `**What was tried:** ${tried.join("; ")}.`,
    "",
    regressionSection(report.regressionSummary),
    "",
    collapsed("Localization trace", localizationSection(report)),
    "",
    collapsed("Candidates and groups", candidateSection(report)),
  ];
  if (report.evidence.length > 0) {
    lines.push("", collapsed("Test evidence of the best candidate", evidenceTable(report.evidence)));
  }
  if (report.suggestion !== undefined) {
    lines.push(
      "",
      collapsed(
        "A suggestion (without the evidence a pull request needs, so not proposed as one)",
        `${suggestionNote(report.suggestion.basis, report.regressionSummary)}\n\n${codeBlock(report.suggestion.diff, "diff")}`,
      ),
    );
  }
  const spend = spendSection(report, budgetDollars, false);
  lines.push(
    ...(spend === "" ? [] : ["", spend]),
    "",
    "Add details to the issue (steps to reproduce, the failing test) and remove and re-add the trigger label to try again.",
  );
  return withinGitHubLimit(lines.join("\n"));
}
