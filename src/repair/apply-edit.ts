import { replaceOnce } from "./match.ts";
import type { Edit } from "./types.ts";

export type EditRefusal =
  | { kind: "not_found"; message: string }
  | { kind: "ambiguous"; count: number; message: string }
  | { kind: "missing_file"; message: string }
  | { kind: "file_exists"; message: string };

export type EditOutcome =
  | { ok: true; text: string; match: "exact" | "whitespace" | "new_file" }
  | { ok: false; refusal: EditRefusal };

/**
 * The one SEARCH/REPLACE applier, used by the repair stage and by the publishing clone, so what was
 * validated is what is published. `current` is the file's text, or undefined when there is no such
 * file. The SEARCH must occur exactly once (see match.ts); an empty SEARCH creates a new file, and
 * may only replace a file that is empty.
 */
export function applyEditToText(current: string | undefined, edit: Edit): EditOutcome {
  const refuse = (refusal: EditRefusal): EditOutcome => ({ ok: false, refusal });
  if (edit.search.trim() === "") {
    if (current !== undefined && current !== "") {
      return refuse({
        kind: "file_exists",
        message: `${edit.path} already exists; an empty SEARCH may only create a new file`,
      });
    }
    return { ok: true, text: withFinalNewline(edit.replace), match: "new_file" };
  }
  if (current === undefined) {
    return refuse({
      kind: "missing_file",
      message: `${edit.path} does not exist (only an empty SEARCH creates a new file)`,
    });
  }
  const result = replaceOnce(current, edit.search, edit.replace);
  if (result.kind === "ambiguous") {
    return refuse({
      kind: "ambiguous",
      count: result.count,
      message: `the SEARCH text occurs ${result.count} times in ${edit.path}; it must occur once`,
    });
  }
  if (result.kind === "not_found") {
    return refuse({
      kind: "not_found",
      message: `the SEARCH text is not in ${edit.path} (not even ignoring whitespace)`,
    });
  }
  return { ok: true, text: result.text, match: result.kind };
}

function withFinalNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}
