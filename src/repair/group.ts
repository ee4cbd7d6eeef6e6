import type { AcceptedCandidate } from "./candidate.ts";

export type CandidateGroup = {
  key: string;
  /** Candidate ids, in sampling order. */
  members: string[];
  /** How many sampled candidates are this fix: the group's vote. */
  votes: number;
  /** The member tested and proposed for the group: the smallest diff, the earliest on a tie. */
  representative: AcceptedCandidate;
};

/** Equivalent candidates (equal normalization keys) in one group each, most votes first. */
export function groupCandidates(candidates: readonly AcceptedCandidate[]): CandidateGroup[] {
  const groups = new Map<string, CandidateGroup>();
  for (const candidate of candidates) {
    const group = groups.get(candidate.key);
    if (!group) {
      groups.set(candidate.key, {
        key: candidate.key,
        members: [candidate.id],
        votes: 1,
        representative: candidate,
      });
      continue;
    }
    group.members.push(candidate.id);
    group.votes++;
    if (candidate.diffSize < group.representative.diffSize) group.representative = candidate;
  }
  return [...groups.values()].sort(
    (a, b) => b.votes - a.votes || a.representative.diffSize - b.representative.diffSize,
  );
}
