import { readFileSync } from "node:fs";
import path from "node:path";
import { type Language, listRepoFiles } from "./discover.ts";
import { resolveImports } from "./imports.ts";
import { widenSelection } from "./widen.ts";

export type SelectionSpec = {
  root: string;
  language: Language;
  /** Files the localization points at (repository-relative). */
  localizedFiles: readonly string[];
  /** Every test file of the repository, as the test discovery found them (the one source of the list). */
  testFiles: readonly string[];
  /** Test files selected at most. */
  budget: number;
  /** When the suite has at most this many test files, all of them are selected. */
  wholeSuiteUpTo: number;
};

export type ScoredTestFile = { file: string; score: number; reasons: string[] };

/** related: by imports, names or folders; package/suite: widened, as nothing related. */
export type SelectionScope = "related" | "package" | "suite" | "none";

export type TestSelection = {
  files: string[];
  scope: SelectionScope;
  wholeSuite: boolean;
  totalTestFiles: number;
  scored: ScoredTestFile[];
};

const WEIGHT = { direct: 10, indirect: 4, distant: 1, name: 6, sameDir: 2, mirroredDir: 2 } as const;
/** Import hops followed past the second: tests often import a package root that reaches the code in several. */
const DISTANT_HOPS = 4;
const MAX_SOURCE_BYTES = 512 * 1024;

/**
 * Regression tests related to the localized files: tests that import them (directly, or through one
 * other file), whose name carries theirs (`test_ops.py`, `ops.test.js`), or that sit beside them or
 * in a mirrored folder. Highest score first, within the budget; the whole suite when it is small.
 * When none relates, widened (widen.ts): the package's tests, else the whole suite, nearest first and
 * not cut to the budget — the screening keeps what fits in the time allowed.
 */
export function selectRegressionTests(spec: SelectionSpec): TestSelection {
  const tests = [...spec.testFiles];
  if (tests.length === 0) {
    return { files: [], scope: "none", wholeSuite: false, totalTestFiles: 0, scored: [] };
  }
  if (tests.length <= spec.wholeSuiteUpTo) {
    return { files: tests, scope: "suite", wholeSuite: true, totalTestFiles: tests.length, scored: [] };
  }
  const fileSet = new Set([...listRepoFiles(spec.root), ...tests]);
  const importsOf = memoImports(spec.root, spec.language, fileSet);
  const targets = new Set(spec.localizedFiles.map((f) => f.replace(/^\.\//, "")));
  const scored = tests
    .map((test) => scoreTest(test, targets, importsOf))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.file.localeCompare(b.file));
  if (scored.length === 0) {
    const widened = widenSelection(tests, [...targets]);
    return {
      files: widened.files,
      scope: widened.scope,
      wholeSuite: widened.scope === "suite",
      totalTestFiles: tests.length,
      scored,
    };
  }
  return {
    files: scored.slice(0, Math.max(0, spec.budget)).map((entry) => entry.file),
    scope: "related",
    wholeSuite: false,
    totalTestFiles: tests.length,
    scored,
  };
}

function scoreTest(
  test: string,
  targets: ReadonlySet<string>,
  importsOf: (file: string) => string[],
): ScoredTestFile {
  let score = 0;
  const reasons: string[] = [];
  const direct = importsOf(test);
  const indirect = new Set(direct.flatMap(importsOf));
  const distant = reachableBeyond(direct, indirect, importsOf);
  for (const target of targets) {
    if (target === test) {
      score += WEIGHT.direct;
      reasons.push("is a localized file");
    } else if (direct.includes(target)) {
      score += WEIGHT.direct;
      reasons.push(`imports ${target}`);
    } else if (indirect.has(target)) {
      score += WEIGHT.indirect;
      reasons.push(`imports ${target} through another file`);
    } else if (distant.has(target)) {
      score += WEIGHT.distant;
      reasons.push(`reaches ${target} through its imports`);
    }
    const stem = stemOf(target);
    if (stem.length > 1 && testStem(test) === stem) {
      score += WEIGHT.name;
      reasons.push(`named after ${target}`);
    }
    const targetDir = path.posix.dirname(target);
    const testDir = path.posix.dirname(test);
    if (targetDir === testDir) {
      score += WEIGHT.sameDir;
      reasons.push("same folder");
    } else if (mirrored(targetDir, testDir)) {
      score += WEIGHT.mirroredDir;
      reasons.push("mirrored folder");
    }
  }
  return { file: test, score, reasons };
}

function memoImports(
  root: string,
  language: Language,
  files: ReadonlySet<string>,
): (file: string) => string[] {
  const cache = new Map<string, string[]>();
  return (file) => {
    const known = cache.get(file);
    if (known) return known;
    let imports: string[] = [];
    try {
      const source = readFileSync(path.join(root, file), "utf8");
      if (source.length <= MAX_SOURCE_BYTES) imports = resolveImports(file, source, language, files);
    } catch {
      imports = [];
    }
    cache.set(file, imports);
    return imports;
  };
}

/** Files reached in three to DISTANT_HOPS + 2 import hops (beyond `direct` and `indirect`). */
function reachableBeyond(
  direct: readonly string[],
  indirect: ReadonlySet<string>,
  importsOf: (file: string) => string[],
): Set<string> {
  const seen = new Set([...direct, ...indirect]);
  const reached = new Set<string>();
  let frontier = [...indirect];
  for (let hop = 0; hop < DISTANT_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const file of frontier) {
      for (const imported of importsOf(file)) {
        if (seen.has(imported)) continue;
        seen.add(imported);
        reached.add(imported);
        next.push(imported);
      }
    }
    frontier = next;
  }
  return reached;
}

function stemOf(file: string): string {
  const base = path.posix.basename(file).replace(/\.[^.]+$/, "");
  return base === "index" || base === "__init__" ? path.posix.basename(path.posix.dirname(file)) : base;
}

/** `test_ops.py`, `ops_test.py`, `ops.test.js`, `ops.spec.ts` → `ops`. */
function testStem(test: string): string {
  return path.posix
    .basename(test)
    .replace(/\.(?:test|spec)\.[cm]?[jt]sx?$/, "")
    .replace(/\.[^.]+$/, "")
    .replace(/^test_|_test$/, "");
}

/** `src/a/b` and `test/a/b` (or `tests/a`, `__tests__`) share their path below the top folder. */
function mirrored(sourceDir: string, testDir: string): boolean {
  const strip = (dir: string) =>
    dir.split("/").filter((part) => !/^(src|lib|test|tests|__tests__|spec)$/.test(part));
  const a = strip(sourceDir).join("/");
  const b = strip(testDir).join("/");
  return a === b;
}
