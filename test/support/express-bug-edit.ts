import { diffLines } from "../../src/repair/line-diff.ts";
import type { Edit } from "../../src/repair/types.ts";

const CONTEXT = 3;

/**
 * SEARCH/REPLACE edits that turn `before` into `after`: one per run of changed lines, with up to three
 * lines of context on each side (runs whose context would overlap are one edit), as a model writes them.
 */
export function editsBetween(path: string, before: string, after: string): Edit[] {
  const ops = diffLines(before.split("\n"), after.split("\n"));
  const changed = ops.flatMap((op, index) => (op.kind === "same" ? [] : [index]));
  const runs: [number, number][] = [];
  for (const index of changed) {
    const last = runs.at(-1);
    if (last && index - last[1] <= 2 * CONTEXT) last[1] = index;
    else runs.push([index, index]);
  }
  return runs.map(([first, last]) => {
    const slice = ops.slice(Math.max(0, first - CONTEXT), Math.min(ops.length, last + CONTEXT + 1));
    const search = slice.filter((op) => op.kind !== "add").map((op) => op.line);
    const replace = slice.filter((op) => op.kind !== "del").map((op) => op.line);
    return { path, search: search.join("\n"), replace: replace.join("\n") };
  });
}

/** Edits as a model answer: prose, then one fenced block of SEARCH/REPLACE parts. */
export function answerWith(edits: readonly Edit[], prose: string): string {
  const parts = edits.map(
    (edit) => `<<<<<<< SEARCH\n${edit.search}\n=======\n${edit.replace}\n>>>>>>> REPLACE`,
  );
  const path = edits[0]?.path ?? "";
  return `${prose}\n\n\`\`\`javascript\n### ${path}\n${parts.join("\n")}\n\`\`\`\n`;
}
