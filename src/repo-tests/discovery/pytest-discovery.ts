import picomatch from "picomatch";
import { normalizeRepoDir, normalizeRepoPath, readRepoText } from "../../config/repo-file.ts";
import { iniSection, tomlTable } from "./ini-sections.ts";
import type { ConfiguredTests } from "./mocha-discovery.ts";

/** How a source without any pytest configuration starts. */
export const PYTEST_DEFAULTS = "pytest's defaults";
const DEFAULT_FILES = ["test_*.py", "*_test.py"];
/** unittest layouts (Django's `app/tests.py`): pytest collects a file named on its command line whatever its name. */
const UNITTEST_FILES = ["tests.py"];
const DEFAULT_NORECURSE = ["*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}"];

/** Where pytest reads its ini options, in its own order: the first file holding the section wins. */
function pytestOptions(root: string): { values: Map<string, string[]>; source: string } | null {
  const candidates: Array<[string, (text: string) => Map<string, string[]> | null]> = [
    ["pytest.ini", (text) => iniSection(text, "pytest") ?? new Map()],
    [".pytest.ini", (text) => iniSection(text, "pytest") ?? new Map()],
    ["pyproject.toml", (text) => tomlTable(text, "tool.pytest.ini_options")],
    ["tox.ini", (text) => iniSection(text, "pytest")],
    ["setup.cfg", (text) => iniSection(text, "tool:pytest")],
  ];
  for (const [name, read] of candidates) {
    const text = readRepoText(root, name);
    const values = text === undefined ? null : read(text);
    if (values !== null) return { values, source: name };
  }
  return null;
}

/**
 * pytest's test files: `testpaths` (else the whole repository, less `norecursedirs`), files matching
 * `python_files` (a pattern with a `/` matches the path, others the file name), less `--ignore`d paths
 * in `addopts`.
 */
export function discoverPytest(root: string, files: readonly string[]): ConfiguredTests {
  const options = pytestOptions(root);
  const values = options?.values ?? new Map<string, string[]>();
  const toxPaths = values.has("testpaths") ? [] : toxPytestPaths(root);
  const testpaths = (values.get("testpaths") ?? toxPaths).flatMap((p) => normalizeRepoDir(p) ?? []);
  const patterns =
    values.get("python_files") ?? (options === null ? [...DEFAULT_FILES, ...UNITTEST_FILES] : DEFAULT_FILES);
  const norecurse = values.get("norecursedirs") ?? DEFAULT_NORECURSE;
  const ignored = ignoredPaths(values.get("addopts") ?? []);
  const byName = picomatch(patterns.filter((p) => !p.includes("/")));
  const byPath = picomatch(patterns.filter((p) => p.includes("/")).map((p) => `**/${p.replace(/^\/+/, "")}`));
  // A pattern with a `/` matches the folder's path (pytest's fnmatch_ex), others its name.
  const skipName = picomatch(
    norecurse.filter((p) => !p.includes("/")),
    { dot: true },
  );
  const skipPath = picomatch(
    norecurse
      .filter((p) => p.includes("/"))
      .flatMap((p) => [p.replace(/\/$/, ""), `**/${p.replace(/\/$/, "")}`]),
    { dot: true },
  );
  const doctestGlobs = picomatch(doctestGlobsOf(values.get("addopts") ?? []), { dot: true });
  // `--doctest-modules` collects every module under the test paths (not setup.py, not __main__.py);
  // without test paths that would be the whole code base, which is not what a test file means here.
  const doctestModules = (values.get("addopts") ?? []).includes("--doctest-modules") && testpaths.length > 0;
  const underTestpath = testpathMatcher(testpaths);
  const isTest = (file: string) => {
    const normalized = normalizeRepoPath(file);
    if (normalized === undefined) return false;
    if (!/\.(py|txt)$/.test(normalized) || !underTestpath(normalized)) return false;
    if (ignored.some((path) => normalized === path || normalized.startsWith(`${path}/`))) return false;
    const parts = normalized.split("/");
    const dirs = parts.slice(0, -1);
    if (dirs.some((dir, i) => skipName(dir) || skipPath(dirs.slice(0, i + 1).join("/")))) return false;
    if (normalized.endsWith(".txt")) return doctestGlobs(parts.at(-1) ?? "");
    if (doctestModules && !/(^|\/)(setup|__main__)\.py$/.test(normalized)) return true;
    return byName(parts.at(-1) ?? "") || byPath(normalized) || byPath(`./${normalized}`);
  };
  const configured = [
    testpaths.length > 0 && toxPaths.length === 0 ? `testpaths ${testpaths.join(" ")}` : "",
    toxPaths.length > 0 ? `tox.ini [testenv] commands: pytest ${toxPaths.join(" ")}` : "",
    values.has("python_files") ? `python_files ${patterns.join(" ")}` : "",
  ].filter(Boolean);
  const source =
    options === null
      ? `${PYTEST_DEFAULTS} (no pytest configuration): test_*.py and *_test.py (and unittest's tests.py) under the repository`
      : `${options.source} [pytest]${configured.length > 0 ? `: ${configured.join("; ")}` : " (pytest's default file patterns)"}`;
  return {
    files: files.filter(isTest).sort(),
    source,
    byDefault: configured.length === 0,
    frameworkArgs: [],
    isTest,
    wholeSuite: toxPaths.length > 0 ? toxPaths : null,
  };
}

function testpathMatcher(testpaths: readonly string[]): (file: string) => boolean {
  if (testpaths.length === 0) return () => true;
  const globs = testpaths.filter((p) => /[*?[]/.test(p));
  const globMatch = globs.length > 0 ? picomatch(globs) : () => false;
  return (file) =>
    testpaths.some((p) => p === "" || file === p || file.startsWith(`${p}/`)) ||
    file.split("/").some((_, i, parts) => globMatch(parts.slice(0, i + 1).join("/")));
}

/**
 * The paths the repository's own tox command hands pytest (`commands = pytest tests {posargs}`),
 * when pytest's configuration has no `testpaths`: the Python counterpart of `scripts.test`.
 */
function toxPytestPaths(root: string): string[] {
  const text = readRepoText(root, "tox.ini");
  const words = text === undefined ? [] : (iniSection(text, "testenv")?.get("commands") ?? []);
  const start = words.findIndex((word) => /(^|\/)(py\.test|pytest)$/.test(word));
  if (start < 0) return [];
  const paths: string[] = [];
  for (const word of words.slice(start + 1)) {
    if (/^(py\.test|pytest|python[\d.]*|coverage|-m)$/.test(word)) break;
    if (!word.startsWith("-") && !word.includes("{") && !word.includes("=")) paths.push(word);
  }
  return paths;
}

/** pytest's doctest plugin collects `test*.txt` files unless `--doctest-glob` says otherwise. */
function doctestGlobsOf(addopts: readonly string[]): string[] {
  const globs: string[] = [];
  for (const [i, word] of addopts.entries()) {
    if (word.startsWith("--doctest-glob=")) globs.push(word.slice("--doctest-glob=".length));
    else if (word === "--doctest-glob" && addopts[i + 1] !== undefined) globs.push(addopts[i + 1] ?? "");
  }
  return globs.length > 0 ? globs : ["test*.txt"];
}

function ignoredPaths(addopts: readonly string[]): string[] {
  const paths: string[] = [];
  for (const [i, word] of addopts.entries()) {
    if (word.startsWith("--ignore=")) paths.push(word.slice("--ignore=".length));
    else if (word === "--ignore" && addopts[i + 1] !== undefined) paths.push(addopts[i + 1] ?? "");
  }
  return paths.flatMap((path) => normalizeRepoDir(path) ?? []);
}
