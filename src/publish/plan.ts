import type { FileEdit } from "../contract/edit.ts";
import type { RunReport } from "../contract/report.ts";
import { type ProtectedHit, protectedPathMatcher } from "../repair/protected.ts";
import { regressionSection } from "./regression-section.ts";
import {
  candidateSection,
  codeBlock,
  collapsed,
  evidenceTable,
  localizationSection,
  spendSection,
} from "./report-sections.ts";

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

export function planPublication(report: RunReport, context: PlanContext): PublishPlan {
  if (report.decision === "abstain" || report.patch === undefined) {
    return { kind: "abstain", message: abstainMessage(report, report.reason, context.budgetDollars) };
  }
  const protectedHits = protectedHitsOf(patchPaths(report.patch), context.protectedPaths);
  if (protectedHits.length > 0) {
    const named = protectedHits.map((hit) => `\`${hit.path}\` (${hit.rule})`).join(", ");
    const reason = `the only candidate patch changes protected paths (${named}), which autofix never changes`;
    return { kind: "abstain", message: abstainMessage(report, reason, context.budgetDollars) };
  }
  const { title, summary, edits, diff, baseCommit } = report.patch;
  return {
    kind: "pull-request",
    branch: branchFor(context.branchPrefix, context.issueNumber),
    base: context.defaultBranch,
    commit: {
      message: `${title}\n\nFixes #${context.issueNumber}`,
      edits,
      ...(diff === undefined ? {} : { diff }),
      ...(baseCommit === undefined ? {} : { baseCommit }),
    },
    pull: { title, body: pullBody(report, summary, context), draft: context.draft },
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

function pullBody(report: RunReport, summary: string, context: PlanContext): string {
  const sections = [
    `Fixes #${context.issueNumber}`,
    "",
    summary,
    "",
    `**Why this patch:** ${report.reason}`,
    "",
    "### Evidence",
    "",
    evidenceTable(report.evidence),
    "",
    regressionSection(report.regressionSummary),
    "",
    collapsed("Localization trace", localizationSection(report.localization, report.trace)),
  ];
  if (report.candidates !== undefined) {
    sections.push("", collapsed("Candidates and groups", candidateSection(report.candidates)));
  }
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

function abstainMessage(report: RunReport, reason: string, budgetDollars: number): string {
  const tried = report.stages.map(
    (s) =>
      `${s.stage} (${
        Object.entries(s.figures)
          .map(([k, v]) => `${k}: ${v}`)
          .join(", ") || "no figures"
      })`,
  );
  const lines = [
    `**Why no pull request:** ${reason}`,
    "",
    tried.length > 0
      ? `**What was tried:** ${tried.join("; ")}.`
      : "**What was tried:** no stage reported figures.",
    "",
    regressionSection(report.regressionSummary),
  ];
  if (report.localization !== undefined || report.trace.trim() !== "") {
    lines.push("", collapsed("Localization trace", localizationSection(report.localization, report.trace)));
  }
  if (report.candidates !== undefined) {
    lines.push("", collapsed("Candidates and groups", candidateSection(report.candidates)));
  }
  if (report.evidence.length > 0) {
    lines.push("", collapsed("Test evidence of the best candidate", evidenceTable(report.evidence)));
  }
  if (report.suggestion !== undefined) {
    lines.push(
      "",
      collapsed(
        "A suggestion (without the evidence a pull request needs, so not proposed as one)",
        `${report.suggestion.note}\n\n${codeBlock(report.suggestion.diff, "diff")}`,
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

/** Paths a patch changes: its edits' paths and the files its diff names. */
export function patchPaths(patch: NonNullable<RunReport["patch"]>): string[] {
  const fromDiff = [...(patch.diff ?? "").matchAll(/^diff --git a\/(.+?) b\/(.+)$/gm)].flatMap((m) => [
    m[1] ?? "",
    m[2] ?? "",
  ]);
  return [...new Set([...patch.edits.map((edit) => edit.path), ...fromDiff].filter((p) => p !== ""))];
}
