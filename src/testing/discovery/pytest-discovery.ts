import picomatch from "picomatch";
import { normalizeRepoPath, readRepoText } from "../../config/repo-file.ts";
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
  const testpaths = (values.get("testpaths") ?? []).map(normalizeRepoPath);
  const patterns =
    values.get("python_files") ?? (options === null ? [...DEFAULT_FILES, ...UNITTEST_FILES] : DEFAULT_FILES);
  const norecurse = values.get("norecursedirs") ?? DEFAULT_NORECURSE;
  const ignored = ignoredPaths(values.get("addopts") ?? []);
  const byName = picomatch(patterns.filter((p) => !p.includes("/")));
  const byPath = picomatch(patterns.filter((p) => p.includes("/")).map((p) => `**/${p.replace(/^\/+/, "")}`));
  const skipDir = picomatch(norecurse, { dot: true });
  const underTestpath = testpathMatcher(testpaths);
  const isTest = (file: string) => {
    const normalized = normalizeRepoPath(file);
    if (!normalized.endsWith(".py") || !underTestpath(normalized)) return false;
    if (ignored.some((path) => normalized === path || normalized.startsWith(`${path}/`))) return false;
    const parts = normalized.split("/");
    if (parts.slice(0, -1).some((dir) => skipDir(dir))) return false;
    return byName(parts.at(-1) ?? "") || byPath(normalized) || byPath(`./${normalized}`);
  };
  const configured = [
    testpaths.length > 0 ? `testpaths ${testpaths.join(" ")}` : "",
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

function ignoredPaths(addopts: readonly string[]): string[] {
  const paths: string[] = [];
  for (const [i, word] of addopts.entries()) {
    if (word.startsWith("--ignore=")) paths.push(word.slice("--ignore=".length));
    else if (word === "--ignore" && addopts[i + 1] !== undefined) paths.push(addopts[i + 1] ?? "");
  }
  return paths.map(normalizeRepoPath);
}
