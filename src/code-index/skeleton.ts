export interface SkeletonEdit {
  /** UTF-16 offsets into the source, end exclusive. */
  start: number;
  end: number;
  replacement: string;
}

/**
 * Applies the outermost edits (bodies elided, long literals shortened) and tidies blank lines: the
 * language-generic form of Agentless's compressed file.
 */
export function buildSkeleton(text: string, edits: SkeletonEdit[]): string {
  const ordered = [...edits].sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  let cursor = 0;
  for (const edit of ordered) {
    if (edit.start < cursor) continue; // nested in an edit already applied
    parts.push(text.slice(cursor, edit.start), edit.replacement);
    cursor = edit.end;
  }
  parts.push(text.slice(cursor));
  return parts
    .join("")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
