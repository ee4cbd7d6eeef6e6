import { replaceOnce } from "./match.ts";
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
    const content = files.get(path);
    if (content === undefined) {
      if (edit.search.trim() !== "") {
        fail("missing_file", `${path} does not exist (only an empty SEARCH creates a new file)`);
        continue;
      }
      files.set(path, withFinalNewline(edit.replace));
      created.add(path);
      applied.push({ index, path, match: "new_file" });
      continue;
    }
    if (edit.search.trim() === "") {
      if (created.has(path) || content !== "") {
        fail("file_exists", `${path} already exists; an empty SEARCH may only create a new file`);
        continue;
      }
      files.set(path, withFinalNewline(edit.replace));
      applied.push({ index, path, match: "new_file" });
      continue;
    }
    const result = replaceOnce(content, edit.search, edit.replace);
    if (result.kind === "ambiguous") {
      fail("ambiguous", `the SEARCH text occurs ${result.count} times in ${path}; it must occur once`);
    } else if (result.kind === "not_found") {
      fail("not_found", `the SEARCH text is not in ${path} (not even ignoring whitespace)`);
    } else {
      files.set(path, result.text);
      applied.push({ index, path, match: result.kind });
    }
  }
  if (failures.length > 0) return { ok: false, failures, applied };
  const changedPaths = [...files.keys()].filter((path) => files.get(path) !== original.get(path)).sort();
  return { ok: true, files, changedPaths, applied };
}

function withFinalNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}
