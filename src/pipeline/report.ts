import type { CandidateRow, GroupRow, RegressionSummary, Report, TestRow } from "../contract/report.ts";
import type { LedgerReport } from "../llm/ledger.ts";
import type { Decision } from "../validate/decide.ts";
import type { GroupEvidence, TestEvidence } from "../validate/evidence.ts";
import type { TestsResult } from "./phases/establish-tests.ts";
import type { LocalizeResult } from "./phases/localize-issue.ts";
import type { RepairOutcome } from "./phases/repair-and-validate.ts";
import type { FixInput } from "./types.ts";

/**
 * What the phases of a run returned, or reported before they ended: the orchestrator (run-fix.ts)
 * keeps one per phase, and `buildReport` assembles the report from whatever is there.
 */
export type PhaseResults = {
  /** Notes about the run itself (the issue cut for the prompts). */
  notes: readonly string[];
  localized?: LocalizeResult;
  tests?: TestsResult;
  repaired?: RepairOutcome;
};

const NOT_SCREENED: RegressionSummary = {
  tests: 0,
  passing: 0,
  files: 0,
  scope: "none",
  source: "",
  leftOut: [],
  why: "the run ended before any regression test was chosen",
};

/** The report of a run from its phases' results; `stopped` (the run's own, e.g. cancelled) wins over a phase's. */
export function buildReport(
  input: FixInput,
  results: PhaseResults,
  runStopped: string | undefined,
  usage: LedgerReport,
  seconds: number,
): Report {
  const { localized, tests, repaired } = results;
  const phaseStopped = [localized, tests, repaired].flatMap((result) =>
    result !== undefined && "stopped" in result && result.stopped !== undefined ? [result.stopped] : [],
  );
  const stopped = runStopped ?? phaseStopped.at(-1);
  const decision = repaired?.decision;
  const groups = repaired?.groups ?? [];
  const evidence = repaired?.evidence ?? [];
  const groupOf = (key: string | undefined) => groups.find((group) => group.key === key);
  const chosen = decision?.decision === "patch" ? groupOf(decision.chosen) : undefined;
  const suggested = groupOf(decision?.suggestion);
  const shown = chosen ?? suggested ?? groups.find((group) => evidence.some((e) => e.key === group.key));
  const reason =
    [stopped, decision?.reason].filter(Boolean).join("; ") || "the run ended before any decision";
  const localization = localized?.localization;
  const keptIds = tests?.keptIds ?? [];
  return {
    decision: chosen ? "patch" : "abstain",
    reason,
    ...(stopped === undefined ? {} : { stopped }),
    repo: { key: input.repo.key, commit: input.repo.commit },
    ...(chosen
      ? {
          patch: {
            group: chosen.key,
            diff: chosen.representative.diff,
            edits: chosen.representative.edits,
            changedPaths: chosen.representative.changedPaths,
          },
        }
      : {}),
    ...(suggested && !chosen
      ? {
          suggestion: {
            group: suggested.key,
            diff: suggested.representative.diff,
            basis: decision?.suggestionBasis ?? "no-reproduction",
          },
        }
      : {}),
    localization: {
      files: localization?.files.map((file) => file.path) ?? [],
      elements: localization?.elements.map((e) => `${e.path}::${e.qualifiedName}`) ?? [],
      locationSets:
        localization?.locationSets.map((set) =>
          set.map(({ path, startLine, endLine }) => ({ path, startLine, endLine })),
        ) ?? [],
      notices: [
        ...(localization?.notices ?? []),
        ...results.notes,
        ...(localized?.notes ?? []),
        ...(tests?.notes ?? []),
        ...(repaired?.notes ?? []),
      ],
    },
    reproduction: {
      tests: tests?.reproduction ?? [],
      kept: keptIds,
      framework: tests?.framework ?? null,
    },
    candidates: repaired ? candidateRows(repaired) : [],
    groups: groups.map((group) => {
      const verdict = decision?.verdicts.find((v) => v.key === group.key);
      return groupRow(
        group,
        evidence.find((e) => e.key === group.key),
        verdict,
        keptIds.length,
      );
    }),
    evidence: shown ? evidenceRows(evidence.find((e) => e.key === shown.key)) : [],
    regressionSummary: tests?.regression ?? NOT_SCREENED,
    usage: {
      stages: usage.stages,
      tokens: usage.spent.tokens,
      dollars: usage.spent.dollars,
      limits: usage.limits,
      notes: usage.notes,
    },
    seconds,
  };
}

function candidateRows(repaired: RepairOutcome): CandidateRow[] {
  const groupOf = new Map(
    repaired.groups.flatMap((group) => group.members.map((id) => [id, group.key] as const)),
  );
  return repaired.candidates.map((candidate) => {
    const answer = repaired.answers.find((a) => a.id === candidate.id);
    const base = { id: candidate.id, set: answer?.set ?? 0, round: answer?.round ?? 0 };
    if (candidate.status === "refused")
      return { ...base, status: "refused", reason: `${candidate.refusal}: ${candidate.reason}` };
    const group = groupOf.get(candidate.id);
    return { ...base, status: "accepted", ...(group ? { group } : {}) };
  });
}

type Verdict = Decision["verdicts"][number];

function groupRow(
  group: RepairOutcome["groups"][number],
  evidence: GroupEvidence | undefined,
  verdict: Verdict | undefined,
  kept: number,
): GroupRow {
  const why = !evidence
    ? "not tested"
    : verdict?.validated
      ? ""
      : [
          ...(verdict?.refused !== undefined ? [`refused untested: ${verdict.refused}`] : []),
          ...(verdict?.notFixed ?? []).map((t) => `${t.id} ${t.before}→${t.after}`),
          ...(verdict?.broken ?? []).map((t) => `breaks ${t.id} (→${t.after})`),
          ...(kept === 0 ? ["no reproduction test to prove it"] : []),
        ].join("; ");
  return {
    key: group.key,
    votes: group.votes,
    members: group.members,
    diffSize: group.representative.diffSize,
    validated: verdict?.validated ?? false,
    why,
    diff: group.representative.diff,
    evidence: evidenceRows(evidence),
  };
}

function evidenceRows(evidence: GroupEvidence | undefined): TestRow[] {
  if (!evidence) return [];
  const row =
    (kind: "reproduction" | "regression") =>
    (test: TestEvidence): TestRow => ({
      test: test.id,
      kind,
      before: test.before,
      after: test.after,
      ...(test.command !== undefined ? { command: test.command } : {}),
      ...(test.exitCode !== undefined ? { exitCode: test.exitCode } : {}),
    });
  return [...evidence.reproduction.map(row("reproduction")), ...evidence.regression.map(row("regression"))];
}
