import { readRepoText } from "../config/repo-file.ts";

/** Keys whose values name files a test framework loads by itself (jest, vitest, mocha). */
const LOADING_KEYS = [
  "setupFiles",
  "setupFilesAfterEnv",
  "globalSetup",
  "globalTeardown",
  "testEnvironment",
  "testRunner",
  "testResultsProcessor",
  "snapshotResolver",
  "resolver",
  "reporters",
  "environment",
  "require",
  "file",
  "spec",
];
const JS_CONFIGS = [
  "jest.config.js",
  "jest.config.cjs",
  "jest.config.mjs",
  "jest.config.ts",
  "jest.config.json",
  "vitest.config.js",
  "vitest.config.mjs",
  "vitest.config.ts",
  "vitest.config.mts",
  "vite.config.js",
  "vite.config.mjs",
  "vite.config.ts",
  ".mocharc.js",
  ".mocharc.cjs",
  ".mocharc.json",
  ".mocharc.jsonc",
  ".mocharc.yml",
  ".mocharc.yaml",
];
const PYTEST_CONFIGS = ["pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"];
const KEY_VALUE = new RegExp(
  `["']?\\b(?:${LOADING_KEYS.join("|")})\\b["']?\\s*[:=]\\s*(\\[[^\\]]*\\]|"[^"\\n]*"|'[^'\\n]*'|\`[^\`\\n]*\`|[^\\s,#]+)`,
  "g",
);
const QUOTED = /"([^"\n]*)"|'([^'\n]*)'|`([^`\n]*)`/g;
const YAML_LIST = new RegExp(
  `^\\s*(?:${LOADING_KEYS.join("|")})\\s*:\\s*\\n((?:[ \\t]*-[ \\t]*\\S.*\\n?)+)`,
  "gm",
);

/**
 * Words in the test frameworks' own configuration that may name a file the tests load by
 * themselves: jest/vitest/mocha config files read as text (what follows `setupFiles:`, `require:`
 * …), mocha.opts' `--require`/`--file`, pytest's `-p plugin` in addopts and `pytest_plugins` in the
 * given conftest.py files, as module paths (`a.b` → `a/b`). The caller keeps only words that name
 * a file of the repository.
 */
export function wordsOfTestConfig(root: string, conftests: readonly string[]): string[] {
  const words: string[] = [];
  for (const name of JS_CONFIGS) {
    const text = readRepoText(root, name);
    if (text !== undefined) words.push(...valuesOfLoadingKeys(text));
  }
  for (const name of ["test/mocha.opts", "spec/mocha.opts"]) {
    const text = readRepoText(root, name);
    if (text !== undefined) words.push(...optionValues(text.split(/\s+/), ["--require", "-r", "--file"]));
  }
  for (const name of PYTEST_CONFIGS) {
    const text = readRepoText(root, name);
    if (text !== undefined) words.push(...optionValues(text.split(/[\s"',[\]]+/), ["-p"]).map(modulePath));
  }
  for (const name of conftests) {
    const text = readRepoText(root, name);
    if (text !== undefined) words.push(...pytestPlugins(text).map(modulePath));
  }
  return words;
}

function valuesOfLoadingKeys(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(KEY_VALUE)) {
    const value = match[1] ?? "";
    const quoted = [...value.matchAll(QUOTED)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
    words.push(...(quoted.length > 0 ? quoted : [value]));
  }
  for (const match of text.matchAll(YAML_LIST)) {
    const items = (match[1] ?? "").split("\n").map((line) => line.replace(/^\s*-\s*/, "").trim());
    words.push(...items.map((item) => item.replace(/^["']|["']$/g, "")).filter(Boolean));
  }
  return words;
}

function optionValues(words: readonly string[], options: readonly string[]): string[] {
  const values: string[] = [];
  words.forEach((word, index) => {
    const [name, inline] = word.split("=", 2);
    if (name === undefined || !options.includes(name)) return;
    const value = inline ?? words[index + 1];
    if (value !== undefined && value !== "") values.push(value);
  });
  return values;
}

function pytestPlugins(text: string): string[] {
  const match = /^pytest_plugins\s*=\s*(\([^)]*\)|\[[^\]]*\]|"[^"\n]*"|'[^'\n]*')/m.exec(text);
  if (match === null) return [];
  return [...(match[1] ?? "").matchAll(QUOTED)].map((m) => m[1] ?? m[2] ?? "");
}

/** `pkg.plugin` → `pkg/plugin` (the caller tries `.py` and `/__init__.py`); paths stay as they are. */
function modulePath(word: string): string {
  return /^[A-Za-z_][\w.]*$/.test(word) && !word.endsWith(".py") ? word.replaceAll(".", "/") : word;
}
