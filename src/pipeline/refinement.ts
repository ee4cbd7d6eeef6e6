import type { CandidateGroup } from "../repair/group.ts";
import type { TestRunReport } from "../repo-tests/types.ts";
import type { GroupEvidence } from "../validate/evidence.ts";

const OUTPUT_MAX_CHARS = 4_000;

/**
 * What the refinement round shows the model: the most voted group that was not validated, its diff,
 * and what its failing tests said (messages first; the raw output's tail when there are none).
 */
export function refinementFeedback(
  groups: readonly CandidateGroup[],
  evidence: readonly GroupEvidence[],
  reports: ReadonlyMap<string, readonly TestRunReport[]>,
): { attempt: string; output: string } | undefined {
  const best = groups.find((group) => reports.has(group.key));
  if (!best) return undefined;
  const runs = reports.get(best.key) ?? [];
  const judged = evidence.find((group) => group.key === best.key);
  const failing = new Set(
    [...(judged?.reproduction ?? []), ...(judged?.regression ?? [])]
      .filter((test) => test.after !== "passed" && test.after !== "skipped")
      .map((test) => test.id),
  );
  const messages = runs
    .flatMap((run) => run.results)
    .filter((result) => failing.has(result.id))
    .map((result) => `${result.id}: ${result.outcome}\n${result.message ?? ""}`.trim());
  const raw = runs
    .map((run) => `${run.problem ?? ""}\n${run.run.stdout}\n${run.run.stderr}`.trim())
    .join("\n");
  const output = messages.length > 0 ? messages.join("\n\n") : raw.slice(-OUTPUT_MAX_CHARS);
  return { attempt: best.representative.diff, output: output.slice(0, OUTPUT_MAX_CHARS) || "(no output)" };
}
