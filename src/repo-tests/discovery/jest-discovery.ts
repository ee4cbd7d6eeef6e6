import picomatch from "picomatch";
import { readRepoText } from "../../config/repo-file.ts";
import type { ConfiguredTests } from "./mocha-discovery.ts";

const DEFAULT_MATCH = ["**/__tests__/**/*.[jt]s?(x)", "**/?(*.)+(spec|test).[jt]s?(x)"];
const CONFIG_FILES = [
  "jest.config.js",
  "jest.config.ts",
  "jest.config.mjs",
  "jest.config.cjs",
  "jest.config.json",
];
/** Options of the repo's jest command that every run keeps. */
const KEPT_WITH_VALUE = new Set([
  "--config",
  "-c",
  "--env",
  "--testEnvironment",
  "--rootDir",
  "--setupFiles",
]);
const KEPT_FLAGS = new Set(["--runInBand", "-i", "--forceExit", "--detectOpenHandles"]);

type JestConfig = { testMatch: string[] | null; testRegex: string[]; roots: string[]; ignore: string[] };

/** Jest's test files: its config (package.json `jest`, jest.config.*, `--config`), else its defaults. */
export function discoverJest(
  root: string,
  files: readonly string[],
  scriptArgs: readonly string[] | null,
  packageJest: unknown,
): ConfiguredTests {
  const { kept, configPath, patterns } = readJestArgs(scriptArgs ?? []);
  const configFile = configPath ?? CONFIG_FILES.find((name) => readRepoText(root, name) !== undefined);
  const configText = configFile === undefined ? undefined : readRepoText(root, configFile);
  const config =
    configText !== undefined && configFile !== undefined
      ? configFrom(configFile.endsWith(".json") ? safeJson(configText) : null, configText)
      : configFrom(packageJest, null);
  const configured = config.testMatch !== null || config.testRegex.length > 0 || config.roots.length > 0;
  const isTest = matcher(config, patterns);
  const where = configFile ?? (packageJest !== undefined ? "package.json jest" : "jest's defaults");
  return {
    files: files.filter(isTest).sort(),
    source: `${scriptArgs === null ? "" : `package.json scripts.test: jest ${scriptArgs.join(" ")}; `}${where}`,
    byDefault: !configured && patterns.length === 0,
    frameworkArgs: kept,
    isTest,
  };
}

function readJestArgs(words: readonly string[]) {
  const kept: string[] = [];
  const patterns: string[] = [];
  let configPath: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    const [flag, inline] =
      word.includes("=") && word.startsWith("-") ? word.split(/=(.*)/s) : [word, undefined];
    if (flag === undefined) continue;
    if (!flag.startsWith("-")) patterns.push(word);
    else if (KEPT_WITH_VALUE.has(flag)) {
      const value = inline ?? words[++i];
      if (value === undefined) continue;
      kept.push(flag, value);
      if (flag === "--config" || flag === "-c") configPath = value;
    } else if (KEPT_FLAGS.has(flag)) kept.push(flag);
  }
  return { kept, configPath, patterns };
}

function configFrom(object: unknown, text: string | null): JestConfig {
  const record = typeof object === "object" && object !== null ? (object as Record<string, unknown>) : {};
  const list = (key: string): string[] | null => {
    const value = record[key];
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
    if (text === null) return null;
    const literal = new RegExp(`\\b${key}\\s*:\\s*(\\[[^\\]]*\\]|'[^']*'|"[^"]*")`).exec(text)?.[1];
    return literal === undefined
      ? null
      : [...literal.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? "");
  };
  const strip = (entry: string) => entry.replace(/^<rootDir>\/?/, "");
  return {
    testMatch: list("testMatch")?.map(strip) ?? null,
    testRegex: list("testRegex") ?? [],
    roots: (list("roots") ?? []).map(strip),
    ignore: list("testPathIgnorePatterns") ?? ["/node_modules/"],
  };
}

function matcher(config: JestConfig, patterns: readonly string[]): (file: string) => boolean {
  const globs = picomatch(config.testMatch ?? DEFAULT_MATCH, { dot: false });
  const regexes = config.testRegex.flatMap((source) => compile(source));
  const ignores = config.ignore.map((source) => source.replace(/<rootDir>/g, "")).flatMap(compile);
  const filters = patterns.flatMap(compile);
  return (file) => {
    const absolute = `/${file}`;
    if (file.startsWith("node_modules/") || ignores.some((re) => re.test(absolute))) return false;
    if (
      config.roots.length > 0 &&
      !config.roots.some((r) => r === "" || file.startsWith(`${r.replace(/\/$/, "")}/`))
    )
      return false;
    const named = regexes.length > 0 ? regexes.some((re) => re.test(absolute)) : globs(file);
    return named && (filters.length === 0 || filters.some((re) => re.test(absolute)));
  };
}

function compile(source: string): RegExp[] {
  try {
    return [new RegExp(source)];
  } catch {
    return [];
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
