/** What the code index knows about a repository at one commit. */

export type ElementKind = "class" | "function" | "method" | "variable";

export interface CodeElement {
  kind: ElementKind;
  /** The element's own name (`send`). */
  name: string;
  /** Names of the enclosing elements and its own, joined by dots (`Response.send`). */
  qualifiedName: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The first line of the definition, trimmed (e.g. `def send(self, request, **kwargs):`). */
  signature: string;
}

/** What parsing one file yields; cached on disk by git blob hash. */
export interface ParsedFile {
  language: string;
  elements: CodeElement[];
  skeleton: string;
  /** Tree-sitter recovered from syntax errors somewhere in the file. */
  hasSyntaxErrors: boolean;
}

export interface IndexedFile {
  path: string;
  /** Git blob id of the content (sha1 of `blob <size>\0<bytes>`). */
  blob: string;
  size: number;
  lineCount: number;
  /** Undefined for text files in languages we cannot parse (they are still searchable by path and text). */
  language: string | undefined;
  elements: CodeElement[];
  hasSyntaxErrors: boolean;
  /** Tests, fixtures, docs and examples: kept, but ranked below source code. */
  role: FileRole;
}

export type FileRole = "source" | "test" | "docs" | "other";

export type SkipReason =
  | "gitignored"
  | "symlink"
  | "vendored"
  | "generated"
  | "minified"
  | "binary"
  | "not-utf8"
  | "oversize"
  | "unreadable";

export interface SkippedFile {
  path: string;
  reason: SkipReason;
}

/** The pino-compatible slice of a logger the index uses. */
export interface DebugLogger {
  debug(context: object, message: string): void;
}
