import type { Edit } from "../../src/repair/types.ts";

/** How a scripted model answer is dressed: the prose around the edits and the fence language. */
export type AnswerStyle = { intro: string; outro: string; lang: string };

export const STYLES: AnswerStyle[] = [
  {
    intro: "The bug comes from the code below; here is the fix.",
    outro: "This keeps the rest of the behaviour unchanged.",
    lang: "javascript",
  },
  { intro: "Looking at the issue, the problem is in this function. Proposed change:", outro: "", lang: "js" },
  {
    intro: "I traced the reported behaviour to the following lines.",
    outro: "Let me know if a test is needed.",
    lang: "",
  },
];

/** Edits as a model would write them: prose, then one fenced block per file with SEARCH/REPLACE parts. */
export function renderAnswer(edits: readonly Edit[], style: AnswerStyle): string {
  const byPath = new Map<string, Edit[]>();
  for (const edit of edits) byPath.set(edit.path, [...(byPath.get(edit.path) ?? []), edit]);
  const blocks = [...byPath].map(([path, list]) => {
    const parts = list.map(
      (edit) => `<<<<<<< SEARCH\n${edit.search}\n=======\n${edit.replace}\n>>>>>>> REPLACE`,
    );
    return `\`\`\`${style.lang}\n### ${path}\n${parts.join("\n")}\n\`\`\``;
  });
  return [style.intro, "", ...blocks, "", style.outro].join("\n").trimEnd();
}

/** An answer cut off in the middle of its last edit's REPLACE part (the output-length limit). */
export function truncateAnswer(answer: string): string {
  const divider = answer.lastIndexOf("\n=======\n");
  const cut = divider === -1 ? Math.floor(answer.length / 2) : divider + "\n=======\n".length;
  const rest = answer.slice(cut).split("\n");
  return answer.slice(0, cut) + rest.slice(0, Math.max(1, Math.floor(rest.length / 3))).join("\n");
}

/** An answer that explains instead of editing. */
export function proseOnlyAnswer(path: string): string {
  return (
    `The problem is most likely in \`${path}\`. The code there does not handle the case described in ` +
    "the issue; I would add a check before the value is used and a test for it. I cannot see enough " +
    "of the file to write the exact change."
  );
}

/**
 * The same edits reformatted: whitespace, comments and quote style only (what a formatter or a
 * chattier sample changes). `variant` picks the transformation.
 */
export function reformatEdits(edits: readonly Edit[], variant: number): Edit[] {
  return edits.map((edit, index) => {
    const searchLines = new Set(edit.search.split("\n"));
    const lines = edit.replace.split("\n");
    const inComment = blockCommentLines(lines);
    const firstAdded = lines.findIndex(
      (line, i) => !searchLines.has(line) && line.trim() !== "" && !inComment[i],
    );
    const out = lines.map((line) => (searchLines.has(line) ? line : reformatLine(line, variant)));
    const at = firstAdded === -1 ? Math.min(1, out.length) : firstAdded;
    const indent = /^\s*/.exec(lines[at] ?? "")?.[0] ?? "";
    const note =
      variant % 2 === 0
        ? `${indent}// fix for the reported issue`
        : `${indent}/* see issue (${index + 1}) */`;
    out.splice(at, 0, note);
    return { ...edit, replace: out.join("\n") };
  });
}

const STRING = /('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/;

/**
 * Whitespace and quote style of one line changed, meaning kept. Lines the simple string tokenizer
 * cannot read safely (a quote or slash left in the code parts: comments, regex literals) stay as they are.
 */
function reformatLine(line: string, variant: number): string {
  if (line.trim() === "") return line;
  const parts = line.split(STRING);
  const code = parts.filter((_, i) => i % 2 === 0);
  if (code.some((part) => /['"`/]/.test(part))) return line;
  return parts
    .map((part, i) => {
      if (i % 2 === 1) {
        const plain = part.startsWith("'") && !/["\\]/.test(part);
        return variant % 2 === 0 && plain ? `"${part.slice(1, -1)}"` : part;
      }
      return variant % 2 === 0
        ? part.replace(/, (?=\S)/g, ",").replace(/\) \{/g, "){")
        : part.replace(/([^\s=!<>])(===|!==|&&|\|\|)(\S)/g, "$1 $2 $3");
    })
    .join("")
    .concat(variant % 2 === 0 ? "" : " ");
}

/** Which lines are inside (or open or close) a block comment: a note put there could end it early. */
function blockCommentLines(lines: readonly string[]): boolean[] {
  let open = false;
  return lines.map((line) => {
    const starts = line.includes("/*");
    const ends = line.includes("*/");
    const inside = open || starts || /^\s*\*/.test(line);
    if (starts && !ends) open = true;
    if (ends) open = false;
    return inside;
  });
}
