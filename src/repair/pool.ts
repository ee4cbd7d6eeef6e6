import {
  type AcceptedCandidate,
  type Candidate,
  type CandidateContext,
  prepareCandidate,
} from "./candidate.ts";
import { type CandidateGroup, groupCandidates } from "./group.ts";
import type { CandidateRefusalKind } from "./types.ts";

export type CandidatePool = {
  candidates: Candidate[];
  groups: CandidateGroup[];
  refused: Partial<Record<CandidateRefusalKind, number>>;
  /** Candidates that would have been tested without grouping minus groups to test. */
  testRunsSaved: number;
};

/** Every sampled answer prepared (or refused, with why), and the accepted ones grouped. */
export async function buildPool(
  answers: readonly { id: string; text: string }[],
  context: CandidateContext,
): Promise<CandidatePool> {
  const candidates: Candidate[] = [];
  for (const { id, text } of answers) candidates.push(await prepareCandidate(id, text, context));
  const accepted = candidates.filter((c): c is AcceptedCandidate => c.status === "accepted");
  const refused: CandidatePool["refused"] = {};
  for (const candidate of candidates) {
    if (candidate.status === "refused") refused[candidate.refusal] = (refused[candidate.refusal] ?? 0) + 1;
  }
  const groups = groupCandidates(accepted);
  return { candidates, groups, refused, testRunsSaved: accepted.length - groups.length };
}
