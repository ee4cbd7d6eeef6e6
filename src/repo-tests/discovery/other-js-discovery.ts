import picomatch from "picomatch";
import { readRepoText } from "../../config/repo-file.ts";
import { expandSpecs, specMatcher } from "./expand-spec.ts";
import type { JsTool } from "./js-test-command.ts";
import type { ConfiguredTests } from "./mocha-discovery.ts";

const JS = "?(c|m)[jt]s?(x)";
/** Each tool's own default patterns, from its documentation. */
const DEFAULTS: Record<Exclude<JsTool, "mocha" | "jest">, string[]> = {
  vitest: [`**/*.{test,spec}.${JS}`],
  "node-test": [
    "**/*.test.?(c|m)js",
    "**/*-test.?(c|m)js",
    "**/*_test.?(c|m)js",
    "**/test-*.?(c|m)js",
    "**/test.?(c|m)js",
    "**/test/**/*.?(c|m)js",
  ],
  ava: [
    "test.js",
    "{src,source}/test.js",
    "**/test-*.js",
    "**/*.{spec,test}.?(c|m)js",
    "**/test/**/*.?(c|m)js",
    "**/tests/**/*.?(c|m)js",
    "**/__tests__/**/*.?(c|m)js",
  ],
  tape: [],
  karma: [],
};
const NEVER = /(^|\/)(node_modules|dist|\.git)\//;
const AVA_HELPERS = /(^|\/)(_[^/]*|fixtures?|helpers?)(\/|$)/;
const VITEST_CONFIGS = [
  "vitest.config.ts",
  "vitest.config.mts",
  "vitest.config.js",
  "vitest.config.mjs",
  "vite.config.ts",
  "vite.config.js",
  "vite.config.mjs",
];

/** Test files of vitest, node --test, ava, tape and karma: specs on their command line, config, else their defaults. */
export function discoverOtherJs(
  root: string,
  files: readonly string[],
  tool: Exclude<JsTool, "mocha" | "jest">,
  scriptArgs: readonly string[] | null,
): ConfiguredTests {
  const specs = (scriptArgs ?? []).filter(
    (word) => !word.startsWith("-") && tool !== "vitest" && tool !== "karma",
  );
  const script = scriptArgs === null ? "" : `package.json scripts.test: ${tool} ${scriptArgs.join(" ")}`;
  if (specs.length > 0) {
    const options = { extensions: ["js", "cjs", "mjs", "ts"], recursive: tool === "node-test" };
    return {
      files: expandSpecs(files, specs, options),
      source: script,
      byDefault: false,
      frameworkArgs: [],
      isTest: specMatcher(specs, options),
    };
  }
  const include = tool === "vitest" ? vitestInclude(root) : null;
  const patterns = include?.patterns ?? DEFAULTS[tool];
  const isMatch = picomatch(patterns, { dot: false });
  const isTest = (file: string) =>
    !NEVER.test(file) && isMatch(file) && (tool !== "ava" || !AVA_HELPERS.test(file.replace(/[^/]*$/, "")));
  const where = include?.source ?? `${tool}'s default patterns`;
  return {
    files: files.filter(isTest).sort(),
    source: [script, where].filter(Boolean).join("; "),
    byDefault: include === null,
    frameworkArgs: [],
    isTest,
  };
}

function vitestInclude(root: string): { patterns: string[]; source: string } | null {
  for (const name of VITEST_CONFIGS) {
    const text = readRepoText(root, name);
    const literal = text === undefined ? undefined : /\binclude\s*:\s*(\[[^\]]*\])/.exec(text)?.[1];
    if (literal === undefined) continue;
    const patterns = [...literal.matchAll(/'([^']*)'|"([^"]*)"|`([^`]*)`/g)].map(
      (m) => m[1] ?? m[2] ?? m[3] ?? "",
    );
    if (patterns.length > 0)
      return { patterns: patterns.map((p) => p.replace(/^\.\//, "")), source: `${name} include` };
  }
  return null;
}
