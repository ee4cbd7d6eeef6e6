import type { Stage } from "../contract/progress.ts";
import type { CandidateSummary, Evidence, RunReport } from "../contract/report.ts";
import type { FixReport, TestRow } from "../pipeline/types.ts";
import { suggestionNote } from "../publish/regression-section.ts";
import { passed } from "../publish/report-sections.ts";

/**
 * What the mapping needs besides the report: the issue (the pull request's title and summary) and
 * where the snapshot was on the App's disk (removed from texts a maintainer reads).
 */
export type IssueRef = { number: number; title: string; root?: string };

const TITLE_MAX = 72;

/** The pipeline's report as the worker and the publisher read it (pure). */
export function toRunReport(fix: FixReport, issue: IssueRef): RunReport {
  const evidence = fix.evidence.map(toEvidence);
  const candidates = candidateSummary(fix);
  const report: RunReport = {
    decision: fix.decision === "patch" && fix.patch !== undefined ? "patch" : "abstain",
    reason: withoutRoot(fix.reason.trim(), issue.root) || "the pipeline gave no reason",
    stages: stageFigures(fix, candidates),
    evidence,
    regressionSummary: fix.regressionSummary,
    tokens: fix.usage.tokens,
    dollars: fix.usage.dollars,
    ...(fix.usage.limits ? { budgetTokens: fix.usage.limits.maxTokens } : {}),
    trace: "",
    localization: {
      files: fix.localization.files,
      elements: fix.localization.elements,
      locations: [
        ...new Set(fix.localization.locationSets.flat().map((l) => `${l.path}:${l.startLine}-${l.endLine}`)),
      ],
      notices: fix.localization.notices,
      reproduction: fix.reproduction.tests.map((t) => `${t.file} — ${t.reason}`),
    },
    candidates,
    usage: fix.usage.stages.map((row) => ({
      stage: row.stage,
      calls: row.calls,
      tokens: row.promptTokens + row.completionTokens,
      dollars: row.dollars,
    })),
  };
  if (report.decision === "patch" && fix.patch !== undefined) {
    report.patch = {
      title: pullTitle(issue),
      summary: patchSummary(fix, evidence),
      edits: fix.patch.edits,
      diff: fix.patch.diff,
      baseCommit: fix.repo.commit,
    };
  }
  if (fix.suggestion !== undefined && fix.suggestion.diff.trim() !== "") {
    report.suggestion = {
      diff: fix.suggestion.diff,
      note: suggestionNote(fix.suggestion.basis, fix.regressionSummary),
    };
  }
  return report;
}

/** `No tests found in /cache/snapshots/…/abc: …` → `No tests found in the repository: …`. */
function withoutRoot(text: string, root: string | undefined): string {
  if (root === undefined || root === "") return text;
  return text.replaceAll(`${root}/`, "").replaceAll(root, "the repository");
}

export function pullTitle(issue: IssueRef): string {
  const title = issue.title.replace(/\s+/g, " ").trim();
  const full = title === "" ? `Fix #${issue.number}` : `Fix #${issue.number}: ${title}`;
  return full.length <= TITLE_MAX ? full : `${full.slice(0, TITLE_MAX - 1).trimEnd()}…`;
}

function toEvidence(row: TestRow): Evidence {
  return {
    test: row.test,
    before: row.before || "unknown",
    after: row.after || "unknown",
    kind: row.kind,
    ...(row.command === undefined ? {} : { command: row.command }),
    ...(row.exitCode === undefined ? {} : { exitCode: row.exitCode }),
  };
}

function patchSummary(fix: FixReport, evidence: readonly Evidence[]): string {
  const paths = fix.patch?.changedPaths ?? [];
  const files = paths.length === 1 ? `\`${paths[0]}\`` : `${paths.length} files`;
  const reproduced = evidence.filter((e) => e.kind === "reproduction");
  const regressions = evidence.filter((e) => e.kind === "regression");
  const chosen = fix.groups.find((g) => g.key === fix.patch?.group);
  const parts = [`This patch changes ${files}.`];
  if (reproduced.length > 0) {
    parts.push(
      reproduced.length === 1
        ? "A reproduction test written from the issue fails on the current code and passes with the patch"
        : `${reproduced.length} reproduction tests written from the issue fail on the current code and pass with the patch`,
    );
  }
  if (regressions.length > 0) {
    const held = regressions.filter((e) => passed(e.after)).length;
    parts[parts.length - 1] += `; ${held} of ${regressions.length} existing tests run pass with it.`;
  } else if (reproduced.length > 0) parts[parts.length - 1] += ".";
  if (chosen !== undefined) {
    parts.push(
      `It was chosen among ${fix.groups.length} distinct candidate${fix.groups.length === 1 ? "" : "s"} ` +
        `(${chosen.votes} of ${fix.candidates.length} samples proposed it).`,
    );
  }
  return parts.join(" ");
}

function candidateSummary(fix: FixReport): CandidateSummary {
  const refused: Record<string, number> = {};
  for (const c of fix.candidates) {
    if (c.status !== "refused") continue;
    const why = (c.reason ?? "refused").split(/[:\n]/)[0]?.trim() || "refused";
    refused[why] = (refused[why] ?? 0) + 1;
  }
  return {
    sampled: fix.candidates.length,
    accepted: fix.candidates.filter((c) => c.status === "accepted").length,
    refused,
    groups: fix.groups.map((g) => ({
      key: g.key,
      votes: g.votes,
      validated: g.validated,
      why: g.why,
      diffSize: g.diffSize,
    })),
  };
}

function stageFigures(fix: FixReport, candidates: CandidateSummary): RunReport["stages"] {
  const stages: { stage: Stage; figures: Record<string, number | string> }[] = [
    {
      stage: "localize",
      figures: { files: fix.localization.files.length, elements: fix.localization.elements.length },
    },
    {
      stage: "reproduce",
      figures: { "tests written": fix.reproduction.tests.length, "tests kept": fix.reproduction.kept.length },
    },
    { stage: "repair", figures: { candidates: candidates.sampled, groups: candidates.groups.length } },
    { stage: "validate", figures: { validated: candidates.groups.filter((g) => g.validated).length } },
  ];
  return stages;
}
