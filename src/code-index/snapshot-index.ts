import { MAX_SOURCE_BYTES, readRepoFile } from "../config/repo-file.ts";
import type { CodeIndex, ElementHit, FileHit, IndexStats } from "./code-index.ts";
import { childrenOf, fileTerms, ownTerms } from "./file-terms.ts";
import type { CachedIndex } from "./index-cache.ts";
import type { LanguageRegistry } from "./languages.ts";
import type { ParseCache } from "./parse-cache.ts";
import { parseSource } from "./parse-file.ts";
import {
  type BM25Params,
  Bm25Builder,
  Bm25Index,
  type FieldSpec,
  type WeightedTerm,
} from "./search-index.ts";
import { identifierTerms } from "./tokenize.ts";
import type { CodeElement, IndexedFile, SkippedFile } from "./types.ts";

/** Document fields and their BM25 boosts. */
export const FILE_FIELDS: FieldSpec = {
  fields: ["path", "defs", "content"],
  boosts: { path: 2, defs: 2, content: 1 },
};
export const ELEMENT_FIELDS: FieldSpec = { fields: ["name", "content"], boosts: { name: 3, content: 1 } };

export interface IndexContext {
  root: string;
  registry: LanguageRegistry;
  parseCache: ParseCache;
  maxLiteralChars: number;
}

interface IndexParts {
  files: IndexedFile[];
  skipped: SkippedFile[];
  fileSearch: Bm25Index;
  skeletons?: Map<string, string>;
}

/** The CodeIndex of one snapshot directory, built by buildCodeIndex or loaded whole from the cache. */
export class SnapshotIndex implements CodeIndex {
  readonly root: string;
  readonly files: readonly IndexedFile[];
  readonly skipped: readonly SkippedFile[];
  readonly stats: IndexStats;
  readonly languages: readonly string[];
  private readonly context: IndexContext;
  private readonly parts: IndexParts;
  private readonly byPath = new Map<string, number>();

  private constructor(context: IndexContext, parts: IndexParts, stats: IndexStats) {
    this.context = context;
    this.root = context.root;
    this.parts = parts;
    this.files = parts.files;
    this.skipped = parts.skipped;
    this.stats = stats;
    const languages = new Set<string>();
    parts.files.forEach((file, fileIndex) => {
      this.byPath.set(file.path, fileIndex);
      if (file.language) languages.add(file.language);
    });
    this.languages = [...languages].sort();
  }

  static fromBuild(context: IndexContext, parts: IndexParts, started: number): SnapshotIndex {
    return new SnapshotIndex(context, parts, statsOf(parts, context.parseCache, false, started));
  }

  static fromCached(context: IndexContext, cached: CachedIndex, started: number): SnapshotIndex {
    const parts: IndexParts = {
      files: cached.files,
      skipped: cached.skipped,
      fileSearch: Bm25Index.load(FILE_FIELDS, cached.fileSearch),
    };
    return new SnapshotIndex(context, parts, statsOf(parts, context.parseCache, true, started));
  }

  toCached(): Omit<CachedIndex, "identity"> & { identity: string } {
    return {
      identity: "",
      files: [...this.files],
      skipped: [...this.skipped],
      fileSearch: this.parts.fileSearch.toJSON(),
    };
  }

  file(path: string): IndexedFile | undefined {
    const index = this.byPath.get(path);
    return index === undefined ? undefined : this.files[index];
  }

  read(path: string): string | undefined {
    if (!this.byPath.has(path)) return undefined;
    return readRepoFile(this.root, path, MAX_SOURCE_BYTES);
  }

  async skeleton(path: string): Promise<string | undefined> {
    const file = this.file(path);
    if (!file?.language) return undefined;
    const inMemory = this.parts.skeletons?.get(path);
    if (inMemory !== undefined) return inMemory;
    const cached = this.context.parseCache.get(file.blob, file.language);
    if (cached) return cached.skeleton;
    const grammar = await this.context.registry.grammarFor(path);
    const text = this.read(path);
    if (!grammar || text === undefined) return undefined;
    const parsed = parseSource(grammar, text, { maxLiteralChars: this.context.maxLiteralChars });
    this.context.parseCache.set(file.blob, file.language, parsed);
    return parsed.skeleton;
  }

  searchFiles(
    terms: readonly WeightedTerm[],
    bm25?: BM25Params,
    boosts?: Readonly<Record<string, number>>,
  ): FileHit[] {
    return this.parts.fileSearch.search(terms, undefined, bm25, boosts).flatMap((hit) => {
      const file = this.files[hit.id];
      return file ? [{ file, score: hit.score, terms: hit.terms }] : [];
    });
  }

  searchElements(
    terms: readonly WeightedTerm[],
    paths: readonly string[],
    bm25?: BM25Params,
    boosts?: Readonly<Record<string, number>>,
  ): ElementHit[] {
    const builder = new Bm25Builder(ELEMENT_FIELDS);
    const refs: { file: IndexedFile; element: CodeElement }[] = [];
    for (const path of new Set(paths)) {
      const file = this.file(path);
      const text = file && file.elements.length > 0 ? this.read(path) : undefined;
      if (!file || text === undefined) continue;
      const termsOfFile = fileTerms(text);
      const children = childrenOf(file.elements);
      file.elements.forEach((element, index) => {
        const name = element.qualifiedName.split(".").flatMap((segment) => identifierTerms(segment));
        builder.add({ name, content: ownTerms(termsOfFile, element, children[index] ?? []) });
        refs.push({ file, element });
      });
    }
    return builder
      .build()
      .search(terms, undefined, bm25, boosts)
      .flatMap((hit) => {
        const ref = refs[hit.id];
        return ref ? [{ ...ref, score: hit.score, terms: hit.terms }] : [];
      });
  }
}

function statsOf(parts: IndexParts, parseCache: ParseCache, fromCache: boolean, started: number): IndexStats {
  const skipped: IndexStats["skipped"] = {};
  for (const { reason } of parts.skipped) skipped[reason] = (skipped[reason] ?? 0) + 1;
  return {
    files: parts.files.length,
    parsedFiles: parts.files.filter((file) => file.language !== undefined).length,
    elements: parts.files.reduce((sum, file) => sum + file.elements.length, 0),
    parseCacheHits: parseCache.hits,
    parseCacheMisses: parseCache.misses,
    skipped,
    fromCache,
    seconds: (performance.now() - started) / 1000,
  };
}
