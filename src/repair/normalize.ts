import { createHash } from "node:crypto";
import type { Node } from "web-tree-sitter";
import type { LanguageRegistry } from "../code-index/languages.ts";
import type { FileMap } from "./types.ts";

const SEPARATOR = "\u0000";

/** A leaf token, or a node boundary marker. */
type Piece = Node | string;
const CLOSERS = new Set([")", "]", "}"]);
/** Languages where `f(a, b,)` means `f(a, b)` and a `;` is optional. Not Python: `(a,)` is a tuple. */
const C_LIKE = new Set(["javascript", "typescript"]);

/**
 * A file's text reduced to what a formatter cannot change: its syntax tree's shape and leaf tokens
 * without comments, with quote style unified, and (C-like languages) without semicolons and
 * trailing commas. Files in a
 * language we have no grammar for keep their non-blank lines with whitespace collapsed.
 */
export async function normalizeText(registry: LanguageRegistry, path: string, text: string): Promise<string> {
  const grammar = await registry.grammarFor(path);
  if (!grammar) return fallbackNormalize(text);
  const tree = grammar.parser.parse(text);
  if (!tree) return fallbackNormalize(text);
  try {
    const pieces: Piece[] = [];
    collectLeaves(tree.rootNode, pieces);
    return tokensOf(pieces, C_LIKE.has(grammar.spec.name)).join(SEPARATOR);
  } finally {
    tree.delete();
  }
}

/**
 * Leaves in order, with the boundaries of the inner nodes around them: Python's indentation is not a
 * token, so without the tree's shape `x *= 2` inside and after an `if` block would look the same.
 */
function collectLeaves(node: Node, into: Piece[]): void {
  if (node.type.includes("comment")) return;
  if (node.childCount === 0) {
    into.push(node);
    return;
  }
  into.push(`(${node.type}`);
  for (const child of node.children) collectLeaves(child, into);
  into.push(")");
}

function tokensOf(pieces: readonly Piece[], cLike: boolean): string[] {
  const tokens: string[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (typeof piece === "string") {
      tokens.push(piece);
      continue;
    }
    const text = piece.text;
    if (text === "") continue;
    if (cLike && text === ";") continue;
    if (cLike && text === "," && closesNext(pieces, i)) continue;
    tokens.push(isQuoteToken(piece) ? text.replaceAll("'", '"') : text);
  }
  return tokens;
}

/** The next leaf after `index` closes a bracket (skipping node boundaries). */
function closesNext(pieces: readonly Piece[], index: number): boolean {
  for (const piece of pieces.slice(index + 1)) {
    if (typeof piece !== "string") return CLOSERS.has(piece.text);
  }
  return false;
}

function isQuoteToken(leaf: Node): boolean {
  return leaf.type === "string_start" || leaf.type === "string_end" || leaf.type === "'" || leaf.type === '"';
}

function fallbackNormalize(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim().replace(/\s+/g, " "))
    .filter((line) => line !== "")
    .join(SEPARATOR);
}

export type CandidateKey = {
  /** Equal for candidates that differ only in comments, whitespace and formatting. */
  key: string;
  /** Changed files whose normalized text differs from the original's: empty means a cosmetic change. */
  meaningfulPaths: string[];
};

export async function candidateKey(
  registry: LanguageRegistry,
  original: FileMap,
  edited: FileMap,
  changedPaths: readonly string[],
): Promise<CandidateKey> {
  const parts: [string, string][] = [];
  for (const path of [...changedPaths].sort()) {
    const after = await normalizeText(registry, path, edited.get(path) ?? "");
    const beforeText = original.get(path);
    const before = beforeText === undefined ? undefined : await normalizeText(registry, path, beforeText);
    if (after !== before) parts.push([path, after]);
  }
  const key = createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
  return { key, meaningfulPaths: parts.map(([path]) => path) };
}
