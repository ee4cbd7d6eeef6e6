import type { Edit } from "../../src/repair/types.ts";

/**
 * Plausible wrong versions of a fix, made from its edits. Each changes only lines the fix adds
 * (the REPLACE side) so it still applies; each returns null when the fix has nothing to mutate.
 */

/** Lines of `replace` not present in `search`: what the fix writes. */
function addedLineIndexes(edit: Edit): number[] {
  const searchLines = new Set(edit.search.split("\n"));
  return edit.replace
    .split("\n")
    .flatMap((line, index) => (searchLines.has(line) || line.trim() === "" ? [] : [index]));
}

/** Apply `change` to the first added line (over all edits) it alters; null when none. */
function mutateFirst(edits: readonly Edit[], change: (line: string) => string | null): Edit[] | null {
  for (const [e, edit] of edits.entries()) {
    const lines = edit.replace.split("\n");
    for (const index of addedLineIndexes(edit)) {
      const line = lines[index] ?? "";
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue;
      const changed = change(line);
      if (changed === null || changed === line) continue;
      lines[index] = changed;
      return edits.map((other, i) => (i === e ? { ...other, replace: lines.join("\n") } : other));
    }
  }
  return null;
}

/** The first match of `pattern` outside string literals replaced; null when there is none. */
function replaceFirstInCode(line: string, pattern: RegExp, to: (match: string) => string): string | null {
  const parts = line.split(/('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/);
  for (const [i, part] of parts.entries()) {
    if (i % 2 === 1) continue;
    const match = pattern.exec(part);
    if (!match) continue;
    parts[i] = part.slice(0, match.index) + to(match[0]) + part.slice(match.index + match[0].length);
    return parts.join("");
  }
  return null;
}

type Rewrite = [RegExp, (match: string) => string];

function firstRewrite(line: string, rewrites: readonly Rewrite[]): string | null {
  for (const [pattern, to] of rewrites) {
    const out = replaceFirstInCode(line, pattern, to);
    if (out !== null) return out;
  }
  return null;
}

const INVERSIONS: Rewrite[] = [
  [/!==|===/, (m) => (m === "===" ? "!==" : "===")],
  [/!=|==/, (m) => (m === "==" ? "!=" : "==")],
  [/&&|\|\|/, (m) => (m === "&&" ? "||" : "&&")],
  [/<=|>=|<(?!=)|>(?!=)/, (m) => ({ "<": ">=", ">": "<=", "<=": ">", ">=": "<" })[m] ?? m],
  [/!(?=[\w(])/, () => ""],
  [/\b(if|while) \(/, (m) => `${m}!`],
];

const OFF_BY_ONE: Rewrite[] = [
  [/(?<![\w.])\d+(?![\w.])/, (m) => String(Number(m) + 1)],
  [/<=|>=|<(?!=)|>(?!=)/, (m) => ({ "<": "<=", ">": ">=", "<=": "<", ">=": ">" })[m] ?? m],
  [/\.length\b/, () => ".length - 1"],
];

/** The condition the fix writes, inverted. */
export function invertCondition(edits: readonly Edit[]): Edit[] | null {
  return mutateFirst(edits, (line) => firstRewrite(line, INVERSIONS));
}

/** A bound or count of the fix moved by one. */
export function offByOne(edits: readonly Edit[]): Edit[] | null {
  return mutateFirst(edits, (line) => firstRewrite(line, OFF_BY_ONE));
}

/** Only the first hunk of a fix of several hunks. */
export function firstHunkOnly(edits: readonly Edit[]): Edit[] | null {
  return edits.length >= 2 ? edits.slice(0, 1) : null;
}

/**
 * An edit in the wrong function: a defensive guard at the top of another function of the same
 * file, away from every line the fix touches.
 */
export function guardInOtherFunction(
  edits: readonly Edit[],
  files: ReadonlyMap<string, string>,
): Edit[] | null {
  const first = edits[0];
  const text = first ? files.get(first.path) : undefined;
  if (!first || text === undefined) return null;
  const lines = text.split("\n");
  const touched = edits.filter((e) => e.path === first.path).map((e) => e.search);
  const header = /^(\s*).*\bfunction\s*\w*\s*\(\s*([A-Za-z_$][\w$]*)[^)]*\)\s*\{\s*$/;
  for (const [index, line] of lines.entries()) {
    const match = header.exec(line);
    if (!match || touched.some((search) => search.includes(line))) continue;
    const search = lines.slice(index, index + 2).join("\n");
    if (text.split(search).length !== 2) continue;
    const indent = `${match[1] ?? ""}  `;
    const guard = `${indent}if (${match[2]} === undefined) return;`;
    const replace = [line, guard, ...lines.slice(index + 1, index + 2)].join("\n");
    return [{ path: first.path, search, replace }];
  }
  return null;
}

/** The fix with a SEARCH line the file does not have (a hallucinated context line): cannot apply. */
export function hallucinatedContext(edits: readonly Edit[]): Edit[] | null {
  const first = edits[0];
  if (!first) return null;
  const lines = first.search.split("\n");
  const at = Math.floor(lines.length / 2);
  lines.splice(at, 0, `${/^\s*/.exec(lines[at] ?? "")?.[0] ?? ""}// TODO: remove`);
  return [{ ...first, search: lines.join("\n") }, ...edits.slice(1)];
}
