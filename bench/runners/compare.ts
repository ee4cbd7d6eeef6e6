import type { Counts, SideResult } from "./types.ts";

export type FilesComparison = {
  own: number | null;
  autofix: number | null;
  match: boolean;
  onlyOwn: string[];
  onlyAutofix: string[];
};

export type CountsComparison = { own: Counts | null; autofix: Counts | null; match: boolean };

export type RepoRow = {
  repo: string;
  ref: string;
  commit: string;
  framework: string;
  /** null for a repository that was not run (it needs a service, or its setup failed). */
  files: FilesComparison | null;
  counts: CountsComparison | null;
  /** "no own result": the own command ran no test (its suite does not load here): nothing to compare. */
  status: "match" | "mismatch" | "not run" | "no own result";
  note: string;
};

export function compareFiles(own: string[] | null, autofix: string[] | null): FilesComparison {
  const ownSet = new Set(own ?? []);
  const autofixSet = new Set(autofix ?? []);
  const onlyOwn = [...ownSet].filter((file) => !autofixSet.has(file)).sort();
  const onlyAutofix = [...autofixSet].filter((file) => !ownSet.has(file)).sort();
  return {
    own: own === null ? null : ownSet.size,
    autofix: autofix === null ? null : autofixSet.size,
    match: own !== null && autofix !== null && onlyOwn.length === 0 && onlyAutofix.length === 0,
    onlyOwn,
    onlyAutofix,
  };
}

/** Passed and failed must agree; skipped is shown but pending/xfail bookkeeping differs by framework. */
export function compareCounts(own: Counts | null, autofix: Counts | null): CountsComparison {
  const match =
    own !== null && autofix !== null && own.passed === autofix.passed && own.failed === autofix.failed;
  return { own, autofix, match };
}

export type RowIdentity = { repo: string; ref: string; commit: string };

export function compareSides(identity: RowIdentity, own: SideResult, autofix: SideResult): RepoRow {
  const files = compareFiles(own.files, autofix.files);
  const counts = compareCounts(own.counts, autofix.counts);
  const notes = [
    ...(own.problem ? [`own: ${own.problem}`] : []),
    ...(autofix.problem ? [`autofix: ${autofix.problem}`] : []),
    ...filesNote(files),
    ...countsNote(counts),
    ...(counts.match ? [] : titlesNote(own.titles, autofix.titles)),
  ];
  return {
    ...identity,
    framework: own.version,
    files,
    counts,
    status: own.counts === null ? "no own result" : files.match && counts.match ? "match" : "mismatch",
    note: notes.join("; "),
  };
}

export function notRunRow(identity: RowIdentity, framework: string, reason: string): RepoRow {
  return { ...identity, framework, files: null, counts: null, status: "not run", note: reason };
}

const LISTED = 3;

function listed(files: string[]): string {
  const shown = files.slice(0, LISTED).join(", ");
  return files.length > LISTED ? `${shown} (+${files.length - LISTED})` : shown;
}

function filesNote(files: FilesComparison): string[] {
  return [
    ...(files.onlyOwn.length > 0 ? [`only the own command runs ${listed(files.onlyOwn)}`] : []),
    ...(files.onlyAutofix.length > 0 ? [`only autofix finds ${listed(files.onlyAutofix)}`] : []),
  ];
}

function countsNote(counts: CountsComparison): string[] {
  const { own, autofix } = counts;
  if (own === null || autofix === null || counts.match) return [];
  const differences = (["passed", "failed"] as const)
    .filter((key) => own[key] !== autofix[key])
    .map((key) => `${key} ${own[key]} (own) vs ${autofix[key]} (autofix)`);
  return differences;
}

/** Titles in `a` not in `b`, as multisets (a title run twice counts twice). */
export function titlesMissing(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const title of b) left.set(title, (left.get(title) ?? 0) + 1);
  return a.filter((title) => {
    const count = left.get(title) ?? 0;
    if (count > 0) left.set(title, count - 1);
    return count === 0;
  });
}

function titlesNote(own: SideResult["titles"], autofix: SideResult["titles"]): string[] {
  if (own === undefined || autofix === undefined) return [];
  const quoted = (titles: string[]) => listed(titles.map((title) => `"${title}"`));
  return (["passed", "failed"] as const).flatMap((key) => {
    const onlyOwn = titlesMissing(own[key], autofix[key]);
    const onlyAutofix = titlesMissing(autofix[key], own[key]);
    // A title the own side has more often than autofix: tests with the same file and title path,
    // which autofix's ids cannot tell apart.
    const autofixHas = new Set(autofix[key]);
    const repeated = onlyOwn.filter((title) => autofixHas.has(title));
    const absent = onlyOwn.filter((title) => !autofixHas.has(title));
    return [
      ...(repeated.length > 0
        ? [
            `${repeated.length} ${key} tests share a title path with another (one id in autofix): ${quoted(repeated)}`,
          ]
        : []),
      ...(absent.length > 0 ? [`${key} only by own: ${quoted(absent)}`] : []),
      ...(onlyAutofix.length > 0 ? [`${key} only by autofix: ${quoted(onlyAutofix)}`] : []),
    ];
  });
}
