import { forEachIdentifier, identifierTerms } from "./tokenize.ts";
import type { CodeElement } from "./types.ts";

/** A file's terms in order, and where each line's terms start (so element docs are slices, not re-tokenized). */
export interface FileTerms {
  terms: string[];
  /** lineStarts[i] = index in `terms` of the first term on line i+1; one extra entry at the end. */
  lineStarts: Int32Array;
}

export function fileTerms(text: string): FileTerms {
  const terms: string[] = [];
  const starts: number[] = [0];
  let lineEnd = text.indexOf("\n");
  forEachIdentifier(text, (identifier, start) => {
    while (lineEnd !== -1 && start > lineEnd) {
      starts.push(terms.length);
      lineEnd = text.indexOf("\n", lineEnd + 1);
    }
    for (const term of identifierTerms(identifier)) terms.push(term);
  });
  while (lineEnd !== -1) {
    starts.push(terms.length);
    lineEnd = text.indexOf("\n", lineEnd + 1);
  }
  starts.push(terms.length);
  return { terms, lineStarts: Int32Array.from(starts) };
}

/** Terms of lines [start, end] (1-based, inclusive) minus the lines of the element's children. */
export function ownTerms(
  fileTerms: FileTerms,
  element: CodeElement,
  children: readonly CodeElement[],
): string[] {
  const out: string[] = [];
  let line = element.startLine;
  for (const child of children) {
    pushLines(fileTerms, line, child.startLine - 1, out);
    line = Math.max(line, child.endLine + 1);
  }
  pushLines(fileTerms, line, element.endLine, out);
  return out;
}

function pushLines(fileTerms: FileTerms, first: number, last: number, out: string[]): void {
  if (last < first) return;
  const { lineStarts, terms } = fileTerms;
  const from = lineStarts[Math.max(0, first - 1)] ?? terms.length;
  const to = lineStarts[Math.min(lineStarts.length - 1, last)] ?? terms.length;
  for (let i = from; i < to; i++) out.push(terms[i] as string);
}

/** Direct children of each element (elements sorted by start; spans nest). */
export function childrenOf(elements: readonly CodeElement[]): CodeElement[][] {
  const children: CodeElement[][] = elements.map(() => []);
  const stack: number[] = [];
  elements.forEach((element, index) => {
    while (stack.length > 0) {
      const top = elements[stack.at(-1) as number];
      const sameSpan = top && top.startLine === element.startLine && top.endLine === element.endLine;
      if (top && !sameSpan && top.endLine >= element.endLine && top.startLine <= element.startLine) break;
      stack.pop();
    }
    const parent = stack.at(-1);
    if (parent !== undefined) children[parent]?.push(element);
    stack.push(index);
  });
  return children;
}
