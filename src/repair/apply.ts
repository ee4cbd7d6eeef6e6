import { applyEditToText } from "./apply-edit.ts";
import { cleanPath } from "./parse-edits.ts";
import { type PathGuard, protectionOf } from "./protected.ts";
import type { AppliedEdit, Edit, EditFailure, FileMap } from "./types.ts";

export type ApplyResult =
  | { ok: true; files: Map<string, string>; changedPaths: string[]; applied: AppliedEdit[] }
  | { ok: false; failures: EditFailure[]; applied: AppliedEdit[] };

export interface ApplyOptions {
  /** What the candidate may not write (see protected.ts); a hit refuses the edit, naming the rule. */
  isProtected: PathGuard;
}

/**
 * Apply all edits, in order, to a copy of `original`. All or nothing: when any edit fails, the
 * result lists every failed edit with why, and no file map is returned. `changedPaths` are the files
 * whose text differs from the original (possibly none: the caller refuses such a candidate).
 */
export function applyEdits(original: FileMap, edits: readonly Edit[], options: ApplyOptions): ApplyResult {
  const files = new Map(original);
  const created = new Set<string>();
  const failures: EditFailure[] = [];
  const applied: AppliedEdit[] = [];
  for (const [index, edit] of edits.entries()) {
    const fail = (kind: EditFailure["kind"], message: string) =>
      failures.push({ index, path: edit.path, kind, message });
    const path = cleanPath(edit.path);
    if (path === undefined) {
      fail("bad_path", `"${edit.path}" is not a repository-relative path`);
      continue;
    }
    const creates = !original.has(path) && edit.search.trim() === "";
    const hit = protectionOf(options.isProtected, path, { creates });
    if (hit) {
      fail("protected_path", hit.message);
      continue;
    }
    // A file this candidate created may be empty, yet a second empty SEARCH must not replace it.
    if (created.has(path) && edit.search.trim() === "") {
      fail("file_exists", `${path} already exists; an empty SEARCH may only create a new file`);
      continue;
    }
    const outcome = applyEditToText(files.get(path), { ...edit, path });
    if (!outcome.ok) {
      fail(outcome.refusal.kind, outcome.refusal.message);
      continue;
    }
    files.set(path, outcome.text);
    if (outcome.match === "new_file") created.add(path);
    applied.push({ index, path, match: outcome.match });
  }
  if (failures.length > 0) return { ok: false, failures, applied };
  const changedPaths = [...files.keys()].filter((path) => files.get(path) !== original.get(path)).sort();
  return { ok: true, files, changedPaths, applied };
}
