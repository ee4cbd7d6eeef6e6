import { z } from "zod";
import { readRepoText } from "../config/repo-file.ts";
import { parseJsonAs } from "../text/parse-json.ts";
import { normalizeRepoPath } from "./protected.ts";
import { wordsOfTestConfig } from "./test-config-references.ts";

const LOADABLE_SUFFIXES = ["", ".js", ".cjs", ".mjs", ".ts", ".py", "/index.js", "/__init__.py"];
/** package.json `jest` keys that name files jest loads by itself. */
const JEST_FILE_KEYS = [
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
];

/**
 * Repository files the tests load by themselves, wherever they live: those the test command names
 * (`--require lib/setup.js`, `--file`, `-r ./spec-helper`), those package.json's `jest` section
 * names (`setupFiles`, `globalSetup` …), and those the frameworks' own configuration names
 * (test-config-references.ts: jest/vitest/mocha config files, mocha.opts, pytest plugins). A
 * candidate changing one changes what judges it.
 */
export function filesLoadedByTests(
  root: string,
  testCommand: string,
  repoFiles: readonly string[],
): Set<string> {
  const known = new Set(repoFiles);
  const conftests = repoFiles.filter((file) => file === "conftest.py" || file.endsWith("/conftest.py"));
  const named = [
    ...commandWords(testCommand),
    ...jestConfigFiles(root),
    ...wordsOfTestConfig(root, conftests),
  ];
  const loaded = new Set<string>();
  for (const word of named) {
    const base = normalizeRepoPath(word.replace(/^<rootDir>\//, ""));
    if (base === undefined) continue;
    for (const suffix of LOADABLE_SUFFIXES) {
      if (known.has(`${base}${suffix}`)) loaded.add(`${base}${suffix}`);
    }
  }
  return loaded;
}

function commandWords(command: string): string[] {
  return command
    .split(/\s+/)
    .flatMap((word) => word.split("="))
    .map((word) => word.replace(/^['"]|['"]$/g, ""))
    .filter((word) => word !== "" && !word.startsWith("-"));
}

function jestConfigFiles(root: string): string[] {
  const text = readRepoText(root, "package.json");
  if (text === undefined) return [];
  const config = parseJsonAs(text, packageJest)?.jest;
  return config === undefined ? [] : JEST_FILE_KEYS.flatMap((key) => strings(config[key]));
}

const packageJest = z.object({ jest: z.record(z.string(), z.unknown()).optional() });

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap((item) => strings(Array.isArray(item) ? item[0] : item));
  return [];
}
