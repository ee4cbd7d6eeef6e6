import type { CodeIndex } from "../code-index/code-index.ts";
import type { FileRole } from "../code-index/types.ts";
import type { DefinitionTable } from "./definitions.ts";
import { filesNamedBy } from "./file-names.ts";
import type { IssueSignals } from "./issue-signals.ts";
import type { MentionResolver } from "./resolve-mentions.ts";

export interface RankedFile {
  path: string;
  score: number;
  /** Why it ranks: `text`, `frame`, `path`, `module`, `defines <name>`, … */
  reasons: string[];
}

/**
 * How evidence adds up for a file. BM25 is normalized to [0, 1] by the best file; explicit evidence
 * (stack frames, paths, modules, definitions of names the issue uses) adds on top; the file's role
 * multiplies the sum (tests and docs are rarely what a fix edits).
 */
export const FILE_RANKING = {
  text: 0.5,
  /**
   * BM25 parameters of the file search. d = 0 (plain BM25, not BM25+): BM25+'s floor per matched term
   * lets a long file that merely contains many of the issue's words outrank the one it is about.
   */
  bm25: { k: 1.2, b: 0.7, d: 0 },
  /** Field boosts of the file search: path words, names the file defines, its text. */
  fields: { path: 2, defs: 2, content: 1 },
  /** A file whose name (`linkcheck.py`) or folder (`napoleon/`) is a word of the issue. */
  stem: 0.3,
  folder: 0.2,
  /** …counted only for words found in at most this share of the files (`python`, `config` say little). */
  nameMaxShare: 0.05,
  /**
   * Re-rank the best `files` by their best element's BM25 (normalized) × `weight`: a file is what its
   * best function is about, which keeps big files that mention everything once from winning on bulk.
   */
  elementRerank: { files: 50, weight: 2 },
  /** A leading file whose text holds a message quoted in the issue, when at most `maxFiles` of them do. */
  phrase: { weight: 0.5, maxFiles: 3 },
  /**
   * A file whose base name the issue writes as a compound name in any case style (`some-rule-name: error`
   * → `rules/some-rule-name.js`, `isCurrent` → `is_current.py`), when at most `maxFiles` files answer to it.
   */
  namedFile: { weight: 1, maxFiles: 3 },
  frame: 1,
  /** Extra for the innermost in-repository frame (where the error surfaced). */
  innermostFrame: 0.5,
  path: 1,
  module: 0.4,
  qualifiedName: 0.8,
  /** `xarray.where`: a module-level function or class of the repository's own package, by that name. */
  packageAttribute: 0.8,
  definition: 0.6,
  /** Several names the issue uses defined in one file add up, to this many times `definition`. */
  definitionsMax: 2,
  /** A name defined in more files than this says nothing about which one. */
  definitionMaxFiles: 6,
  role: { source: 1, test: 0.25, docs: 0.15, other: 0.25 } satisfies Record<FileRole, number>,
};

export type FileRanking = typeof FILE_RANKING;

/** Names that say nothing about what a file is for. */
const GENERIC_NAMES = new Set([
  "__init__",
  "__main__",
  "index",
  "main",
  "utils",
  "util",
  "core",
  "base",
  "common",
  "src",
  "lib",
  "helpers",
  "misc",
  "compat",
  "types",
  "constants",
]);

export function rankFiles(
  index: CodeIndex,
  signals: IssueSignals,
  resolver: MentionResolver,
  definitions: DefinitionTable,
  params: FileRanking = FILE_RANKING,
): RankedFile[] {
  const evidence = new Map<string, Map<string, number>>();
  /** Each kind of evidence counts once per file, at its strongest. */
  const note = (path: string, reason: string, amount: number) => {
    const reasons = evidence.get(path) ?? new Map<string, number>();
    reasons.set(reason, Math.max(reasons.get(reason) ?? 0, amount));
    evidence.set(path, reasons);
  };

  const hits = index.searchFiles(signals.terms, params.bm25, params.fields);
  const best = hits[0]?.score ?? 0;
  for (const hit of hits) if (best > 0) note(hit.file.path, "text", (params.text * hit.score) / best);

  const framed = signals.frames
    .map((frame) => resolver.resolvePath(frame.path))
    .filter((files) => files.length > 0 && files.length <= 2);
  framed.forEach((files, position) => {
    const innermost = position === framed.length - 1 ? params.innermostFrame : 0;
    for (const file of files) note(file.path, "frame", params.frame + innermost);
  });
  if (params.namedFile.weight > 0) {
    for (const path of filesNamedBy(index.files, signals.compoundNames, params.namedFile.maxFiles).keys())
      note(path, "named", params.namedFile.weight);
  }
  for (const written of signals.paths) {
    for (const file of resolver.resolvePath(written)) note(file.path, "path", params.path);
  }
  for (const dotted of signals.dottedNames) {
    const module = resolver.resolveDotted(dotted);
    if (module) note(module.file.path, "module", params.module);
    if (params.packageAttribute > 0) {
      for (const [path, amount] of packageAttribute(dotted, resolver, definitions, params))
        note(path, "package attribute", amount);
    }
    const matches = definitions.qualified(dotted);
    const files = new Set(matches.map((match) => match.file.path));
    if (files.size > 0 && files.size <= params.definitionMaxFiles) {
      for (const path of files) note(path, "qualified name", params.qualifiedName / Math.sqrt(files.size));
    }
  }
  if (params.stem > 0 || params.folder > 0) {
    const words = new Set(signals.terms.map((term) => term.term));
    const share = new Map<string, number>();
    const rare = (word: string) => {
      let value = share.get(word);
      if (value === undefined) {
        value = index.searchFiles([{ term: word, weight: 1 }]).length / Math.max(1, index.files.length);
        share.set(word, value);
      }
      return value <= params.nameMaxShare;
    };
    for (const file of index.files) {
      const segments = file.path.toLowerCase().split("/");
      const stem = (segments.at(-1) ?? "").replace(/\.[^.]*$/, "");
      if (words.has(stem) && !GENERIC_NAMES.has(stem) && rare(stem))
        note(file.path, "file name", params.stem);
      const folder = segments.at(-2);
      if (folder && words.has(folder) && !GENERIC_NAMES.has(folder) && rare(folder))
        note(file.path, "folder name", params.folder);
    }
  }
  const defined = new Map<string, number>();
  for (const identifier of signals.identifiers) {
    const files = new Set(definitions.named(identifier).map((match) => match.file.path));
    if (files.size === 0 || files.size > params.definitionMaxFiles) continue;
    for (const path of files)
      defined.set(path, (defined.get(path) ?? 0) + params.definition / Math.sqrt(files.size));
  }
  for (const [path, amount] of defined)
    note(path, "defines", Math.min(amount, params.definition * params.definitionsMax));

  if (params.elementRerank.weight > 0) {
    const leaders = [...evidence.keys()]
      .map((path) => ({ path, score: total(evidence.get(path)) * roleOf(index, path, params) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, params.elementRerank.files)
      .map((entry) => entry.path);
    if (params.phrase.weight > 0) {
      for (const [path, amount] of phraseMatches(index, signals.phrases, leaders, params)) {
        note(path, "quoted message", amount);
      }
    }
    const elementHits = index.searchElements(signals.terms, leaders, params.bm25);
    const bestElement = elementHits[0]?.score ?? 0;
    for (const hit of elementHits) {
      if (bestElement > 0)
        note(hit.file.path, "element text", (params.elementRerank.weight * hit.score) / bestElement);
    }
  }

  const ranked: RankedFile[] = [];
  for (const [path, reasons] of evidence) {
    const file = index.file(path);
    if (!file) continue;
    ranked.push({ path, score: total(reasons) * params.role[file.role], reasons: [...reasons.keys()] });
  }
  return ranked.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1));
}

function total(reasons: ReadonlyMap<string, number> | undefined): number {
  let sum = 0;
  for (const amount of reasons?.values() ?? []) sum += amount;
  return sum;
}

function roleOf(index: CodeIndex, path: string, params: FileRanking): number {
  const file = index.file(path);
  return file ? params.role[file.role] : 0;
}

/** The leading files holding each quoted message verbatim; a message found in many files says little. */
function phraseMatches(
  index: CodeIndex,
  phrases: readonly string[],
  leaders: readonly string[],
  params: FileRanking,
): Map<string, number> {
  const found = new Map<string, number>();
  if (phrases.length === 0) return found;
  const texts = leaders.map((path) => ({ path, text: index.read(path) ?? "" }));
  for (const phrase of phrases) {
    const holders = texts.filter((entry) => entry.text.includes(phrase)).map((entry) => entry.path);
    if (holders.length === 0 || holders.length > params.phrase.maxFiles) continue;
    for (const path of holders) {
      found.set(path, Math.max(found.get(path) ?? 0, params.phrase.weight / Math.sqrt(holders.length)));
    }
  }
  return found;
}

/** `pkg.name` where `pkg` is a package of the repository: the files defining `name` at module level. */
function packageAttribute(
  dotted: string,
  resolver: MentionResolver,
  definitions: DefinitionTable,
  params: FileRanking,
): Map<string, number> {
  const found = new Map<string, number>();
  const [pkg, name, ...rest] = dotted.split(".");
  if (!pkg || !name || rest.length > 0) return found;
  const init = resolver.resolveDotted(`${pkg}.__init__`);
  if (init?.rest !== "") return found;
  const root = init.file.path.slice(0, -"__init__.py".length);
  const files = new Set(
    definitions
      .named(name)
      .filter(
        (match) =>
          match.element.qualifiedName === name &&
          (match.element.kind === "function" || match.element.kind === "class") &&
          match.file.path.startsWith(root),
      )
      .map((match) => match.file.path),
  );
  if (files.size === 0 || files.size > params.definitionMaxFiles) return found;
  for (const path of files) found.set(path, params.packageAttribute / Math.sqrt(files.size));
  return found;
}
