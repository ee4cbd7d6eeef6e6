import type { RegressionSummary } from "../contract/report.ts";
import type { LedgerReport } from "../llm/ledger.ts";
import type { Localization } from "../localize/types.ts";
import type { Candidate } from "../repair/candidate.ts";
import type { CandidateGroup } from "../repair/group.ts";
import type { SampledAnswer } from "../repair/repair.ts";
import type { ReproductionRow } from "../reproduce/reproduce.ts";
import type { Decision } from "../validate/decide.ts";
import type { GroupEvidence, TestEvidence } from "../validate/evidence.ts";
import type { CandidateRow, FixInput, FixReport, GroupRow, TestRow } from "./types.ts";

/** Everything a run did, gathered as it goes; `buildFixReport` turns it into the report. */
export type RunTrace = {
  localization?: Localization;
  reproduction: ReproductionRow[];
  keptIds: string[];
  framework: string | null;
  answers: SampledAnswer[];
  candidates: Candidate[];
  groups: CandidateGroup[];
  evidence: GroupEvidence[];
  decision?: Decision;
  /** The regression tests screened on the unpatched code (absent when the run ended before). */
  regression?: RegressionSummary;
  /** Why the run ended before a decision (budget, no tests, nothing localized…). */
  stopped?: string;
  notes: string[];
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

export function emptyTrace(): RunTrace {
  return {
    reproduction: [],
    keptIds: [],
    framework: null,
    answers: [],
    candidates: [],
    groups: [],
    evidence: [],
    notes: [],
  };
}

export function buildFixReport(
  input: FixInput,
  trace: RunTrace,
  usage: LedgerReport,
  seconds: number,
): FixReport {
  const { decision } = trace;
  const groupOf = (key: string | undefined) => trace.groups.find((group) => group.key === key);
  const chosen = decision?.decision === "patch" ? groupOf(decision.chosen) : undefined;
  const suggested = groupOf(decision?.suggestion);
  const shown =
    chosen ?? suggested ?? trace.groups.find((group) => trace.evidence.some((e) => e.key === group.key));
  const reason =
    [trace.stopped, decision?.reason].filter(Boolean).join("; ") || "the run ended before any decision";
  return {
    decision: chosen ? "patch" : "abstain",
    reason,
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
    repo: { key: input.repo.key, commit: input.repo.commit },
    localization: {
      files: trace.localization?.files.map((file) => file.path) ?? [],
      elements: trace.localization?.elements.map((e) => `${e.path}::${e.qualifiedName}`) ?? [],
      locationSets:
        trace.localization?.locationSets.map((set) =>
          set.map(({ path, startLine, endLine }) => ({ path, startLine, endLine })),
        ) ?? [],
      notices: [...(trace.localization?.notices ?? []), ...trace.notes],
    },
    reproduction: { tests: trace.reproduction, kept: trace.keptIds, framework: trace.framework },
    candidates: candidateRows(trace),
    groups: trace.groups.map((group) => groupRow(group, trace, decision)),
    evidence: shown ? evidenceRows(trace.evidence.find((e) => e.key === shown.key)) : [],
    regressionSummary: trace.regression ?? NOT_SCREENED,
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

function candidateRows(trace: RunTrace): CandidateRow[] {
  const groupOf = new Map(
    trace.groups.flatMap((group) => group.members.map((id) => [id, group.key] as const)),
  );
  return trace.candidates.map((candidate) => {
    const answer = trace.answers.find((a) => a.id === candidate.id);
    const base = { id: candidate.id, set: answer?.set ?? 0, round: answer?.round ?? 0 };
    if (candidate.status === "refused")
      return { ...base, status: "refused", reason: `${candidate.refusal}: ${candidate.reason}` };
    const group = groupOf.get(candidate.id);
    return { ...base, status: "accepted", ...(group ? { group } : {}) };
  });
}

function groupRow(group: CandidateGroup, trace: RunTrace, decision: Decision | undefined): GroupRow {
  const verdict = decision?.verdicts.find((v) => v.key === group.key);
  const evidence = trace.evidence.find((e) => e.key === group.key);
  const why = !evidence
    ? "not tested"
    : verdict?.validated
      ? ""
      : [
          ...(verdict?.refused !== undefined ? [`refused untested: ${verdict.refused}`] : []),
          ...(verdict?.notFixed ?? []).map((t) => `${t.id} ${t.before}→${t.after}`),
          ...(verdict?.broken ?? []).map((t) => `breaks ${t.id} (→${t.after})`),
          ...(trace.keptIds.length === 0 ? ["no reproduction test to prove it"] : []),
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
    (kind: TestRow["kind"]) =>
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
