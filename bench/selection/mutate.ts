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

/** Index of the parenthesis closing the one at `open`, or -1 (strings are not tracked: good enough for one line). */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return i;
  }
  return -1;
}

/** Top-level arguments of a call's argument text. */
function splitArguments(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== "");
}

/**
 * A call the fix writes, half kept: `_.escape($(el).text())` → `$(el).text()` (the wrapper dropped),
 * `pathFn.join(post.path, this.slug)` → `pathFn.join(post.path)` (the last argument dropped).
 */
function weakenCall(line: string): string | null {
  if (/['"`]/.test(line)) return null;
  for (const match of line.matchAll(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\(/g)) {
    const open = match.index + match[0].length - 1;
    if (/^(if|for|while|switch|function|catch|return)\($/.test(match[0])) continue;
    const close = closingParen(line, open);
    if (close === -1) continue;
    const args = splitArguments(line.slice(open + 1, close));
    const [only] = args;
    if (args.length >= 2) {
      return `${line.slice(0, open + 1)}${args.slice(0, -1).join(", ")}${line.slice(close)}`;
    }
    if (only !== undefined && /[(.]/.test(only)) {
      return `${line.slice(0, match.index)}${only}${line.slice(close + 1)}`;
    }
  }
  return null;
}

/** A call of the fix with its wrapper or last argument left out. */
export function weakenedCall(edits: readonly Edit[]): Edit[] | null {
  return mutateFirst(edits, weakenCall);
}

/**
 * For a fix that only removes lines: the line after the removed ones removed instead (the right
 * place, the wrong statement).
 */
export function neighbourRemoved(edits: readonly Edit[]): Edit[] | null {
  for (const [e, edit] of edits.entries()) {
    const search = edit.search.split("\n");
    const kept = new Set(edit.replace.split("\n"));
    const removed = search.flatMap((line, i) => (kept.has(line) || line.trim() === "" ? [] : [i]));
    const added = edit.replace
      .split("\n")
      .filter((line) => !search.includes(line) && !/^\s*(\/\/|\*|\/\*)/.test(line));
    const last = removed.at(-1);
    if (last === undefined || added.some((line) => line.trim() !== "")) continue;
    const next = search.findIndex(
      (line, i) => i > last && line.trim() !== "" && !/^\s*[}\])]|[{([,]\s*$/.test(line),
    );
    if (next === -1) continue;
    const replace = search.filter((_, i) => i !== next).join("\n");
    return edits.map((other, i) => (i === e ? { ...other, replace } : other));
  }
  return null;
}
