import type { AcceptedCandidate } from "../repair/candidate.ts";
import { type PathGuard, type ProtectedHit, protectionOf } from "../repair/protected.ts";
import type { SandboxFile } from "../sandbox/sandbox.ts";

/**
 * The files a candidate writes over the workspace, without any path it may not write (so the base
 * versions stay in place), and the hits that say which were dropped and by which rule.
 */
export function sandboxWrites(
  candidate: Pick<AcceptedCandidate, "changedPaths" | "files" | "diff">,
  mayNotTouch: PathGuard,
): { files: SandboxFile[]; refused: ProtectedHit[] } {
  const created = createdPaths(candidate.diff);
  const files: SandboxFile[] = [];
  const refused: ProtectedHit[] = [];
  for (const path of candidate.changedPaths) {
    const hit = protectionOf(mayNotTouch, path, { creates: created.has(path) });
    if (hit) refused.push(hit);
    else files.push({ path, content: candidate.files.get(path) ?? "" });
  }
  return { files, refused };
}

/** Files the candidate's diff creates (`--- /dev/null`). */
function createdPaths(diff: string): Set<string> {
  return new Set([...diff.matchAll(/^--- \/dev\/null\n\+\+\+ b\/(.+)$/gm)].map((match) => match[1] ?? ""));
}
