import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gitBlobHash } from "./blob-hash.ts";
import { roleOf, skipByContent, skipByPath } from "./classify.ts";
import type { CodeIndex } from "./code-index.ts";
import { INDEX_SCHEMA, IndexCache } from "./index-cache.ts";
import { LanguageRegistry } from "./languages.ts";
import { ParseCache } from "./parse-cache.ts";
import { defaultParseWorkers, type FileParser, InProcessParser, WorkerParsePool } from "./parse-pool.ts";
import { Bm25Builder } from "./search-index.ts";
import { FILE_FIELDS, type IndexContext, SnapshotIndex } from "./snapshot-index.ts";
import { countCodeTerms, identifierTerms, pathTerms } from "./tokenize.ts";
import type { DebugLogger, IndexedFile, ParsedFile, SkippedFile } from "./types.ts";
import { walkRepository } from "./walk.ts";

export interface BuildIndexOptions {
  root: string;
  /** Cache root (parse results by blob, whole indexes by identity); undefined: nothing is cached. */
  cacheRoot?: string;
  /**
   * What makes this tree's content unique, e.g. `<repoKey>@<commit>` for a Workspace snapshot. With it, an
   * unchanged tree is loaded whole from the cache without reading a file; without it, only parse results are.
   */
  identity?: string;
  registry?: LanguageRegistry;
  maxFileBytes?: number;
  maxLiteralChars?: number;
  /** Parsing threads (0: parse on the calling thread). Default: one per core, at most 4. */
  parseWorkers?: number;
  logger?: DebugLogger;
}

export const DEFAULTS = { maxFileBytes: 1_000_000, maxLiteralChars: 120 } as const;

/** By default, fewer files than this are parsed in-process: starting threads would cost more than it saves. */
const MIN_FILES_FOR_WORKERS = 200;

interface PendingFile {
  file: IndexedFile;
  counts: Map<string, number>;
  parsed: Promise<ParsedFile | undefined> | ParsedFile | undefined;
}

export async function buildCodeIndex(options: BuildIndexOptions): Promise<CodeIndex> {
  const started = performance.now();
  const registry = options.registry ?? new LanguageRegistry();
  const maxFileBytes = options.maxFileBytes ?? DEFAULTS.maxFileBytes;
  const maxLiteralChars = options.maxLiteralChars ?? DEFAULTS.maxLiteralChars;
  const variant = `${INDEX_SCHEMA}-${registry.fingerprint}-${maxFileBytes}-${maxLiteralChars}`;
  const parseCacheDir = options.cacheRoot
    ? join(options.cacheRoot, "parse", registry.fingerprint)
    : undefined;
  const parseCache = new ParseCache(parseCacheDir);
  const indexCache =
    options.cacheRoot && options.identity
      ? new IndexCache(join(options.cacheRoot, "index", variant))
      : undefined;
  const context = { root: options.root, registry, parseCache, maxLiteralChars };

  if (indexCache && options.identity) {
    const cached = indexCache.load(options.identity);
    if (cached) return SnapshotIndex.fromCached(context, cached, started);
  }

  const walked = await walkRepository(options.root);
  const skipped: SkippedFile[] = [...walked.skipped];
  const workers =
    options.parseWorkers ?? (walked.files.length < MIN_FILES_FOR_WORKERS ? 0 : defaultParseWorkers());
  const inProcess = new InProcessParser(registry, parseCache, maxLiteralChars);
  const parser: FileParser =
    workers > 0
      ? new WorkerParsePool({ workers, registry, cacheDir: parseCacheDir, maxLiteralChars })
      : inProcess;
  const pending: PendingFile[] = [];
  try {
    for (const entry of walked.files) {
      const byPath = skipByPath(entry.path, entry.size, maxFileBytes);
      if (byPath) {
        skipped.push({ path: entry.path, reason: byPath });
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(options.root, entry.path));
      } catch {
        skipped.push({ path: entry.path, reason: "unreadable" });
        continue;
      }
      const content = skipByContent(bytes);
      if ("reason" in content) {
        skipped.push({ path: entry.path, reason: content.reason });
        continue;
      }
      const blob = gitBlobHash(bytes);
      const language = registry.languageOf(entry.path);
      const cached = language ? parseCache.get(blob, language) : undefined;
      const parsed =
        cached ??
        (language
          ? parser.parse(entry.path, blob, content.text).catch((error: unknown) => {
              options.logger?.debug(
                { path: entry.path, error: String(error) },
                "code index: parse worker failed",
              );
              return inProcess.parse(entry.path, blob, content.text);
            })
          : undefined);
      pending.push({
        file: {
          path: entry.path,
          blob,
          size: bytes.byteLength,
          lineCount: countLines(content.text),
          language: undefined,
          elements: [],
          hasSyntaxErrors: false,
          role: roleOf(entry.path),
        },
        counts: countCodeTerms(content.text),
        parsed,
      });
    }
    return await finish(options, context, pending, skipped, started, indexCache);
  } finally {
    await parser.close();
  }
}

async function finish(
  options: BuildIndexOptions,
  context: IndexContext,
  pending: PendingFile[],
  skipped: SkippedFile[],
  started: number,
  indexCache: IndexCache | undefined,
): Promise<CodeIndex> {
  const fileSearch = new Bm25Builder(FILE_FIELDS);
  const skeletons = new Map<string, string>();
  const files: IndexedFile[] = [];
  for (const entry of pending) {
    const parsed = await entry.parsed;
    const file = entry.file;
    if (parsed) {
      file.language = parsed.language;
      file.elements = parsed.elements;
      file.hasSyntaxErrors = parsed.hasSyntaxErrors;
      skeletons.set(file.path, parsed.skeleton);
    } else if (file.role === "source") {
      file.role = "other";
    }
    files.push(file);
    fileSearch.add({
      path: pathTerms(file.path),
      defs: file.elements.flatMap((element) => identifierTerms(element.name)),
      content: entry.counts,
    });
  }
  for (const skip of skipped)
    options.logger?.debug({ path: skip.path, reason: skip.reason }, "code index: skipped");
  const index = SnapshotIndex.fromBuild(
    context,
    { files, skipped, fileSearch: fileSearch.build(), skeletons },
    started,
  );
  if (indexCache && options.identity)
    indexCache.save(options.identity, { ...index.toCached(), identity: options.identity });
  return index;
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let lines = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < text.length - 1; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}
