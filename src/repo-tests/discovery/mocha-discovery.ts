import { parse as parseYaml } from "yaml";
import { readRepoText } from "../../config/repo-file.ts";
import { expandSpecs, specMatcher } from "./expand-spec.ts";
import { emptyMochaOptions, type MochaOptions, mochaOptsWords, readMochaArgs } from "./mocha-options.ts";

export type ConfiguredTests = {
  files: string[];
  source: string;
  /** Nothing in the repository named the tests: the framework's default location was used. */
  byDefault: boolean;
  frameworkArgs: string[];
  isTest: (file: string) => boolean;
  /** See TestDiscovery.wholeSuite. */
  wholeSuite?: string[] | null;
};

const RC_FILES = [
  ".mocharc.js",
  ".mocharc.cjs",
  ".mocharc.yaml",
  ".mocharc.yml",
  ".mocharc.jsonc",
  ".mocharc.json",
];
const DEFAULT_EXTENSIONS = ["js", "cjs", "mjs"];

/**
 * Mocha's test files as the repository runs them: the specs and options its test script passes,
 * then `--opts`/`test/mocha.opts` (mocha < 8), then `.mocharc.*` or package.json `mocha` (mocha ≥ 6),
 * then mocha's default `./test` (not recursive).
 */
export function discoverMocha(
  root: string,
  files: readonly string[],
  scriptArgs: readonly string[] | null,
  packageMocha: unknown,
  mochaMajor: number | null,
): ConfiguredTests {
  const fromScript = readMochaArgs(scriptArgs ?? [], emptyMochaOptions());
  const sources: string[] =
    scriptArgs === null ? [] : [`package.json scripts.test: mocha ${scriptArgs.join(" ")}`.trim()];
  const optsPath = fromScript.opts ?? "test/mocha.opts";
  const optsText = mochaMajor !== null && mochaMajor >= 8 ? undefined : readRepoText(root, optsPath);
  const fromOpts = readMochaArgs(optsText === undefined ? [] : mochaOptsWords(optsText), emptyMochaOptions());
  if (optsText !== undefined) sources.push(optsPath);
  const rc = readMocharc(root, packageMocha);
  if (rc !== null) sources.push(rc.source);
  const layers = [fromScript, fromOpts, rc?.options ?? emptyMochaOptions()];
  const specs = layers.find((layer) => layer.specs.length > 0)?.specs ?? [];
  const recursive = layers.some((layer) => layer.recursive);
  const extensions = [...new Set([...DEFAULT_EXTENSIONS, ...layers.flatMap((layer) => layer.extensions)])];
  const byDefault = specs.length === 0;
  const used = byDefault ? ["./test"] : specs;
  const options = { extensions, recursive };
  const where = sources.length > 0 ? sources.join("; ") : "mocha is a dependency, nothing configured";
  return {
    files: expandSpecs(files, used, options),
    source: byDefault ? `${where}; mocha's default spec ./test` : `${where}; spec ${used.join(" ")}`,
    byDefault,
    frameworkArgs: fromScript.kept,
    isTest: specMatcher(used, options),
  };
}

function readMocharc(root: string, packageMocha: unknown): { options: MochaOptions; source: string } | null {
  for (const name of RC_FILES) {
    const text = readRepoText(root, name);
    if (text === undefined) continue;
    if (name.endsWith("js")) return { options: mocharcFromJs(text), source: `${name} (read as text)` };
    try {
      return {
        options: mocharcFromObject(parseYaml(name.endsWith(".jsonc") ? stripJsonComments(text) : text)),
        source: name,
      };
    } catch {
      return { options: emptyMochaOptions(), source: `${name} (unreadable)` };
    }
  }
  if (packageMocha !== undefined)
    return { options: mocharcFromObject(packageMocha), source: "package.json mocha" };
  return null;
}

function mocharcFromObject(value: unknown): MochaOptions {
  const options = emptyMochaOptions();
  if (typeof value !== "object" || value === null) return options;
  const record = value as Record<string, unknown>;
  const strings = (key: string) => {
    const entry = record[key];
    if (typeof entry === "string") return [entry];
    return Array.isArray(entry) ? entry.filter((item): item is string => typeof item === "string") : [];
  };
  options.specs.push(...strings("spec"));
  options.extensions.push(...strings("extension").map((ext) => ext.replace(/^\./, "")));
  options.recursive = record.recursive === true;
  return options;
}

/** A JavaScript `.mocharc.js` is not run: its literal `spec` strings are read. */
function mocharcFromJs(text: string): MochaOptions {
  const options = emptyMochaOptions();
  const spec = /\bspec\s*:\s*(\[[^\]]*\]|'[^']*'|"[^"]*")/.exec(text)?.[1];
  if (spec !== undefined)
    options.specs.push(...[...spec.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? ""));
  options.recursive = /\brecursive\s*:\s*true\b/.test(text);
  return options;
}

function stripJsonComments(text: string): string {
  return text.replace(/^\s*\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
}
