/** One hunk of a unified diff, as the lines it expects and the lines it leaves. */
export type Hunk = { path: string; oldStart: number; before: string[]; after: string[] };

/** The hunks of a `git diff` (text files only). */
export function parseHunks(diff: string): Hunk[] {
  const hunks: Hunk[] = [];
  let path: string | null = null;
  let current: Hunk | null = null;
  for (const line of diff.split("\n")) {
    const target = /^\+\+\+ b\/(.+)$/.exec(line);
    if (target?.[1]) {
      path = target[1];
      current = null;
      continue;
    }
    if (line.startsWith("--- ") || line.startsWith("diff --git") || line.startsWith("index ")) {
      current = null;
      continue;
    }
    const header = /^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@/.exec(line);
    if (header?.[1] && path !== null) {
      current = { path, oldStart: Number(header[1]), before: [], after: [] };
      hunks.push(current);
      continue;
    }
    if (current === null || line.startsWith("\\")) continue;
    const body = line.slice(1);
    if (line.startsWith("-")) current.before.push(body);
    else if (line.startsWith("+")) current.after.push(body);
    else if (line.startsWith(" ")) {
      current.before.push(body);
      current.after.push(body);
    }
  }
  return hunks;
}

/** How often `needle` (whole lines) occurs in `text`. */
export function occurrences(text: string, needle: string): number {
  if (needle === "") return 0;
  let count = 0;
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at === -1) return count;
    count++;
    from = at + 1;
  }
}

/**
 * The hunk as a SEARCH/REPLACE edit whose SEARCH occurs exactly once in `original`: context lines
 * from the file are added around it until it does (a diff's 3 lines of context are not always unique).
 */
export function hunkEdit(hunk: Hunk, original: string): { path: string; search: string; replace: string } {
  const lines = original.split("\n");
  let start = hunk.oldStart - 1;
  let end = start + hunk.before.length;
  let before = [...hunk.before];
  let after = [...hunk.after];
  while (occurrences(original, before.join("\n")) !== 1 && (start > 0 || end < lines.length)) {
    if (start > 0) {
      start--;
      const line = lines[start] ?? "";
      before = [line, ...before];
      after = [line, ...after];
    }
    if (end < lines.length) {
      const line = lines[end] ?? "";
      end++;
      before = [...before, line];
      after = [...after, line];
    }
  }
  return { path: hunk.path, search: before.join("\n"), replace: after.join("\n") };
}
