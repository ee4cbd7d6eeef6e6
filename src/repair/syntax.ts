import type { Node } from "web-tree-sitter";
import type { LanguageRegistry } from "../code-index/languages.ts";
import type { FileMap } from "./types.ts";

export type SyntaxRegression = { path: string; language: string; errorsBefore: number; errorsAfter: number };

export type SyntaxCheck = {
  regressions: SyntaxRegression[];
  /** Changed files in a language we have no grammar for: not checked. */
  unchecked: string[];
};

/**
 * Changed files whose edited text has more tree-sitter ERROR/MISSING nodes than the original had
 * (a new file counts from zero). Comparing counts, not presence, lets a fix touch a file that was
 * already broken elsewhere without being blamed for it.
 */
export async function checkSyntax(
  registry: LanguageRegistry,
  original: FileMap,
  edited: FileMap,
  changedPaths: readonly string[],
): Promise<SyntaxCheck> {
  const regressions: SyntaxRegression[] = [];
  const unchecked: string[] = [];
  for (const path of changedPaths) {
    const grammar = await registry.grammarFor(path);
    const after = edited.get(path);
    if (!grammar || after === undefined) {
      if (after !== undefined) unchecked.push(path);
      continue;
    }
    const before = original.get(path);
    const errorsBefore = before === undefined ? 0 : countSyntaxErrors(grammar.parser, before);
    const errorsAfter = countSyntaxErrors(grammar.parser, after);
    if (errorsAfter > errorsBefore) {
      regressions.push({ path, language: grammar.spec.name, errorsBefore, errorsAfter });
    }
  }
  return { regressions, unchecked };
}

type TextParser = { parse(text: string): { rootNode: Node; delete(): void } | null };

/** ERROR and MISSING nodes in the parse of `text`; an unparsable text counts as one error. */
export function countSyntaxErrors(parser: TextParser, text: string): number {
  const tree = parser.parse(text);
  if (!tree) return 1;
  try {
    return countIn(tree.rootNode);
  } finally {
    tree.delete();
  }
}

function countIn(node: Node): number {
  if (!node.hasError && !node.isMissing) return 0;
  let count = node.isError || node.isMissing ? 1 : 0;
  for (const child of node.children) count += countIn(child);
  return count;
}
