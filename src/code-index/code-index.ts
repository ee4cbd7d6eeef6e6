import type { BM25Params, WeightedTerm } from "./search-index.ts";
import type { CodeElement, IndexedFile, SkippedFile, SkipReason } from "./types.ts";

export interface FileHit {
  file: IndexedFile;
  score: number;
  terms: string[];
}

export interface ElementHit {
  file: IndexedFile;
  element: CodeElement;
  score: number;
  terms: string[];
}

export interface IndexStats {
  files: number;
  parsedFiles: number;
  elements: number;
  parseCacheHits: number;
  parseCacheMisses: number;
  skipped: Partial<Record<SkipReason, number>>;
  /** The whole index came from the cache (unchanged commit). */
  fromCache: boolean;
  seconds: number;
}

/** The code index of one repository snapshot: files, elements with spans, skeletons, BM25 search. */
export interface CodeIndex {
  readonly root: string;
  /** Indexed files, sorted by path. */
  readonly files: readonly IndexedFile[];
  readonly skipped: readonly SkippedFile[];
  readonly stats: IndexStats;
  /** Languages parsed in this repository (empty: only path/text retrieval is possible). */
  readonly languages: readonly string[];
  file(path: string): IndexedFile | undefined;
  /** The text of an indexed file (read from the snapshot on demand). */
  read(path: string): string | undefined;
  skeleton(path: string): Promise<string | undefined>;
  /** `boosts`: per-field weights (default: path 2, defs 2, content 1). */
  searchFiles(
    terms: readonly WeightedTerm[],
    bm25?: BM25Params,
    boosts?: Readonly<Record<string, number>>,
  ): FileHit[];
  /** BM25 over the elements of these files (an index built for the query: candidates are few). */
  searchElements(
    terms: readonly WeightedTerm[],
    paths: readonly string[],
    bm25?: BM25Params,
    boosts?: Readonly<Record<string, number>>,
  ): ElementHit[];
}
