import { type DiffOp, diffLines } from "./line-diff.ts";
import type { FileMap } from "./types.ts";

const CONTEXT = 3;

export type PatchText = { diff: string; added: number; removed: number };

/** A git-style unified diff (`git apply` reads it) of every changed path, in path order. */
export function unifiedDiff(original: FileMap, edited: FileMap, changedPaths: readonly string[]): PatchText {
  let diff = "";
  let added = 0;
  let removed = 0;
  for (const path of [...changedPaths].sort()) {
    const before = original.get(path);
    const after = edited.get(path) ?? "";
    const ops = diffLines(toLines(before ?? ""), toLines(after));
    added += ops.filter((op) => op.kind === "add").length;
    removed += ops.filter((op) => op.kind === "del").length;
    diff += `diff --git a/${path} b/${path}\n`;
    if (before === undefined) diff += "new file mode 100644\n";
    diff += `--- ${before === undefined ? "/dev/null" : `a/${path}`}\n+++ b/${path}\n`;
    diff += hunks(ops);
  }
  return { diff, added, removed };
}

/** Marks a last line that has no newline, so it differs from the same line with one. */
const NO_EOL = "\u0000no-eol";

/** Lines without their terminators; a final line without a newline is still a line. */
function toLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

function hunks(ops: DiffOp[]): string {
  const changed = ops.flatMap((op, i) => (op.kind === "same" ? [] : [i]));
  let out = "";
  let index = 0;
  while (index < changed.length) {
    const first = changed[index] ?? 0;
    let last = first;
    while (index + 1 < changed.length && (changed[index + 1] ?? 0) - last <= 2 * CONTEXT) {
      index++;
      last = changed[index] ?? last;
    }
    index++;
    const from = Math.max(0, first - CONTEXT);
    const to = Math.min(ops.length, last + CONTEXT + 1);
    out += hunk(ops, from, to);
  }
  return out;
}

function hunk(ops: DiffOp[], from: number, to: number): string {
  let oldLine = 1;
  let newLine = 1;
  for (const op of ops.slice(0, from)) {
    if (op.kind !== "add") oldLine++;
    if (op.kind !== "del") newLine++;
  }
  const slice = ops.slice(from, to);
  const oldCount = slice.filter((op) => op.kind !== "add").length;
  const newCount = slice.filter((op) => op.kind !== "del").length;
  let body = "";
  for (const op of slice) {
    const sign = op.kind === "same" ? " " : op.kind === "del" ? "-" : "+";
    if (op.line.endsWith(NO_EOL))
      body += `${sign}${op.line.slice(0, -NO_EOL.length)}\n\\ No newline at end of file\n`;
    else body += `${sign}${op.line}\n`;
  }
  const range = (start: number, count: number) => `${count === 0 ? start - 1 : start},${count}`;
  return `@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@\n${body}`;
}
