import type { Node, QueryMatch } from "web-tree-sitter";
import type { LoadedGrammar } from "./languages.ts";
import { buildSkeleton, type SkeletonEdit } from "./skeleton.ts";
import type { CodeElement, ElementKind, ParsedFile } from "./types.ts";

const KIND_PRIORITY: Record<ElementKind, number> = { method: 4, function: 3, class: 2, variable: 1 };
const KINDS = new Set<string>(Object.keys(KIND_PRIORITY));

export interface ParseOptions {
  /** Literals longer than this many characters are shortened in the skeleton. */
  maxLiteralChars: number;
}

interface Definition {
  kind: ElementKind;
  node: Node;
  nameNode: Node;
  /** The type a method belongs to when the syntax says so outside any enclosing element (Go, Rust). */
  receiver: string | undefined;
}

/** Elements and skeleton of one file. Syntax errors never throw: tree-sitter recovers, we index what parsed. */
export function parseSource(grammar: LoadedGrammar, text: string, options: ParseOptions): ParsedFile {
  const tree = grammar.parser.parse(text);
  if (!tree) return { language: grammar.spec.name, elements: [], skeleton: "", hasSyntaxErrors: true };
  try {
    const definitions = new Map<string, Definition>();
    const edits: SkeletonEdit[] = [];
    for (const match of grammar.query.matches(tree.rootNode)) {
      collectMatch(match, definitions, edits, options);
    }
    const lines = text.split("\n");
    return {
      language: grammar.spec.name,
      elements: toElements([...definitions.values()], lines),
      skeleton: buildSkeleton(text, edits),
      hasSyntaxErrors: tree.rootNode.hasError,
    };
  } finally {
    tree.delete();
  }
}

function collectMatch(
  match: QueryMatch,
  definitions: Map<string, Definition>,
  edits: SkeletonEdit[],
  options: ParseOptions,
): void {
  let definition: { kind: ElementKind; node: Node } | undefined;
  let nameNode: Node | undefined;
  let receiver: string | undefined;
  for (const capture of match.captures) {
    const [head, tail] = capture.name.split(".", 2);
    if (head === "definition" && tail && KINDS.has(tail)) {
      definition = { kind: tail as ElementKind, node: capture.node };
    } else if (capture.name === "name") {
      nameNode = capture.node;
    } else if (capture.name === "receiver") {
      receiver = capture.node.text;
    } else if (capture.name === "elide") {
      const replacement = match.setProperties?.replacement ?? "...";
      edits.push({ start: capture.node.startIndex, end: capture.node.endIndex, replacement });
    } else if (capture.name === "shorten") {
      const node = capture.node;
      if (node.endIndex - node.startIndex > options.maxLiteralChars) {
        edits.push({ start: node.startIndex, end: node.endIndex, replacement: shorten(node.text) });
      }
    }
  }
  if (!definition || !nameNode) return;
  const key = `${nameNode.startIndex}:${nameNode.endIndex}`;
  const previous = definitions.get(key);
  if (!previous || wins(definition, previous)) definitions.set(key, { ...definition, nameNode, receiver });
}

function wins(candidate: { kind: ElementKind; node: Node }, current: Definition): boolean {
  const byKind = KIND_PRIORITY[candidate.kind] - KIND_PRIORITY[current.kind];
  if (byKind !== 0) return byKind > 0;
  return (
    candidate.node.endIndex - candidate.node.startIndex > current.node.endIndex - current.node.startIndex
  );
}

function toElements(definitions: Definition[], lines: string[]): CodeElement[] {
  definitions.sort((a, b) => a.node.startIndex - b.node.startIndex || b.node.endIndex - a.node.endIndex);
  const elements: CodeElement[] = [];
  const stack: { end: number; qualifiedName: string }[] = [];
  for (const definition of definitions) {
    const { node, nameNode } = definition;
    while (stack.length > 0 && (stack.at(-1)?.end ?? 0) < node.endIndex) stack.pop();
    const ownName = normalizeName(nameNode.text);
    if (!ownName) continue;
    const name = definition.receiver ? `${normalizeName(definition.receiver)}.${ownName}` : ownName;
    const parent = stack.at(-1)?.qualifiedName;
    const qualifiedName = parent ? `${parent}.${name}` : name;
    const nameRow = nameNode.startPosition.row;
    elements.push({
      kind: definition.kind,
      name: ownName.split(".").at(-1) ?? ownName,
      qualifiedName,
      startLine: node.startPosition.row + 1,
      endLine: endLineOf(node),
      signature: (lines[nameRow] ?? "").trim().slice(0, 200),
    });
    stack.push({ end: node.endIndex, qualifiedName });
  }
  return elements;
}

/** `Foo.prototype.bar` → `Foo.bar`, `this.x` → `x`, `'key'` → `key`, whitespace collapsed. */
function normalizeName(text: string): string {
  return text
    .replace(/\s+/g, "")
    .replace(/^["'`]|["'`]$/g, "")
    .split(".")
    .filter((segment) => segment !== "prototype" && segment !== "this" && segment !== "")
    .join(".");
}

function endLineOf(node: Node): number {
  const { row, column } = node.endPosition;
  return column === 0 && row > node.startPosition.row ? row : row + 1;
}

function shorten(text: string): string {
  const head = (text.split("\n")[0] ?? "").slice(0, 40);
  const tail = /[\])}"'`]{1,3}$/.exec(text)?.[0] ?? "";
  return `${head}...${tail}`;
}
