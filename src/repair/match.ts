export type MatchResult =
  | { kind: "exact"; text: string }
  | { kind: "whitespace"; text: string }
  | { kind: "not_found"; count: 0 }
  | { kind: "ambiguous"; count: number };

/**
 * Replace the one place where `search` occurs in `content`, line by line: an exact match first,
 * then one that ignores trailing spaces and a constant indentation shift (the replacement is then
 * re-indented by the same shift). More than one place is ambiguous and refused. A CRLF file stays CRLF.
 */
export function replaceOnce(content: string, search: string, replace: string): MatchResult {
  if (!content.includes("\r\n")) return replaceInLines(content, search, replace);
  const result = replaceInLines(content.replaceAll("\r\n", "\n"), search, replace);
  return "text" in result ? { ...result, text: result.text.replaceAll("\n", "\r\n") } : result;
}

function replaceInLines(content: string, search: string, replace: string): MatchResult {
  const lines = content.split("\n");
  const wanted = search.split("\n");
  const exact = findAll(lines, wanted, (a, b) => a === b);
  if (exact.length > 1) return { kind: "ambiguous", count: exact.length };
  const [exactAt] = exact;
  if (exactAt !== undefined) return { kind: "exact", text: splice(lines, exactAt, wanted.length, replace) };
  const loose = findAll(lines, wanted, () => true).filter((at) => shiftAt(lines, wanted, at) !== undefined);
  if (loose.length > 1) return { kind: "ambiguous", count: loose.length };
  const [looseAt] = loose;
  if (looseAt === undefined) return { kind: "not_found", count: 0 };
  const shift = shiftAt(lines, wanted, looseAt);
  if (shift === undefined) return { kind: "not_found", count: 0 };
  const reindented = replace
    .split("\n")
    .map((line) => reindent(line, shift))
    .join("\n");
  return { kind: "whitespace", text: splice(lines, looseAt, wanted.length, reindented) };
}

function findAll(lines: string[], wanted: string[], same: (a: string, b: string) => boolean): number[] {
  const found: number[] = [];
  if (wanted.every((line) => line.trim() === "")) return found;
  for (let at = 0; at + wanted.length <= lines.length; at++) {
    if (wanted.every((line, i) => same(lines[at + i] ?? "", line))) found.push(at);
  }
  return found;
}

type Shift = { add: string } | { remove: number };

/** The constant indentation shift that makes `wanted` equal the file at `at`, if any. */
function shiftAt(lines: string[], wanted: string[], at: number): Shift | undefined {
  let delta: number | undefined;
  let prefix = "";
  for (const [i, want] of wanted.entries()) {
    const have = lines[at + i] ?? "";
    if (have.trim() === "" && want.trim() === "") continue;
    if (have.trim() !== want.trim()) return undefined;
    const haveIndent = indentOf(have);
    const wantIndent = indentOf(want);
    const lineDelta = haveIndent.length - wantIndent.length;
    if (delta === undefined) {
      delta = lineDelta;
      prefix = lineDelta > 0 ? haveIndent.slice(0, lineDelta) : "";
    } else if (delta !== lineDelta) return undefined;
  }
  if (delta === undefined) return undefined;
  return delta >= 0 ? { add: prefix } : { remove: -delta };
}

function reindent(line: string, shift: Shift): string {
  if (line.trim() === "") return line.trimEnd();
  if ("add" in shift) return shift.add + line;
  const indent = indentOf(line);
  return line.slice(Math.min(shift.remove, indent.length));
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? "";
}

function splice(lines: string[], at: number, count: number, replace: string): string {
  const inserted = replace === "" ? [] : replace.split("\n");
  return [...lines.slice(0, at), ...inserted, ...lines.slice(at + count)].join("\n");
}
