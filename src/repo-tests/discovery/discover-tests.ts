import { z } from "zod";
import { readRepoText } from "../../config/repo-file.ts";
import { type Language, listRepoFiles } from "../discover.ts";
import type { Framework } from "../types.ts";
import { isConventionalTest } from "./heuristic-tests.ts";
import { discoverJest } from "./jest-discovery.ts";
import { type JsTool, testToolCalls } from "./js-test-command.ts";
import { type ConfiguredTests, discoverMocha } from "./mocha-discovery.ts";
import { discoverOtherJs } from "./other-js-discovery.ts";
import { discoverPytest, PYTEST_DEFAULTS } from "./pytest-discovery.ts";
import type { TestDiscovery } from "./types.ts";

const packageJsonSchema = z
  .object({
    scripts: z.record(z.string(), z.string()).catch({}),
    dependencies: z.record(z.string(), z.string()).catch({}),
    devDependencies: z.record(z.string(), z.string()).catch({}),
    jest: z.unknown().optional(),
    mocha: z.unknown().optional(),
  })
  .loose();
type PackageJson = z.infer<typeof packageJsonSchema>;

/**
 * The repository's tests as its own configuration names them (see TestDiscovery). Name conventions
 * only when nothing configured names a test file. Null when there are no tests to be found.
 */
export function discoverTests(
  root: string,
  files: readonly string[] = listRepoFiles(root),
): TestDiscovery | null {
  const pkg = readPackageJson(root);
  if (pkg !== null) {
    const found = discoverJs(root, files, pkg);
    if (found !== null) return found;
  }
  const pytest = discoverPytest(root, files);
  const pytestConfigured = !pytest.source.startsWith(PYTEST_DEFAULTS);
  if (!pytestConfigured && !files.some((file) => file.endsWith(".py"))) return null;
  const found = withFallback(files, "pytest", "python", pytest);
  return found.files.length > 0 || pytestConfigured ? found : null;
}

function discoverJs(root: string, files: readonly string[], pkg: PackageJson): TestDiscovery | null {
  const makefile = readRepoText(root, "Makefile") ?? readRepoText(root, "makefile");
  const calls = testToolCalls(pkg.scripts, { makefile, files });
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const has = (name: string) => files.includes(name);
  const configured = (prefix: string) => files.some((f) => !f.includes("/") && f.startsWith(prefix));
  const argsOf = (tool: JsTool) => {
    const matching = calls.filter((call) => call.tool === tool);
    return matching.length === 0 ? null : matching.flatMap((call) => call.args);
  };
  const order: Array<[JsTool, boolean]> = [
    ["vitest", "vitest" in deps || configured("vitest.config.")],
    ["jest", "jest" in deps || pkg.jest !== undefined || configured("jest.config.")],
    ["mocha", "mocha" in deps || pkg.mocha !== undefined || configured(".mocharc") || has("test/mocha.opts")],
  ];
  const called = calls.find((call) => call.tool !== "karma" && call.tool !== "ava")?.tool;
  const tool = called ?? order.find(([, present]) => present)?.[0];
  if (tool === "mocha") {
    const found = discoverMocha(root, files, argsOf("mocha"), pkg.mocha, majorOf(deps.mocha));
    return withFallback(files, "mocha", "javascript", found);
  }
  if (tool === "jest")
    return withFallback(files, "jest", "javascript", discoverJest(root, files, argsOf("jest"), pkg.jest));
  if (tool === "vitest" || tool === "node-test" || tool === "tape") {
    const framework: Framework = tool === "vitest" ? "vitest" : "node-test";
    return withFallback(files, framework, "javascript", discoverOtherJs(root, files, tool, argsOf(tool)));
  }
  const script = pkg.scripts.test ?? "";
  const runsSomething = script !== "" && !/no test specified/.test(script);
  const conventional = files.filter((file) => isConventionalTest(file, "javascript"));
  if (!runsSomething && conventional.length === 0) return null;
  const what = calls[0]?.tool ?? (runsSomething ? `\`${script}\`` : null);
  const framework: Framework = runsSomething ? "command" : "node-test";
  return heuristic(
    files,
    framework,
    "javascript",
    what === null ? "no test runner configured" : `scripts.test runs ${what}`,
  );
}

function withFallback(
  files: readonly string[],
  framework: Framework,
  language: Language,
  found: ConfiguredTests,
): TestDiscovery {
  const configured = { framework, language, heuristic: found.byDefault, ...found };
  if (found.files.length > 0) return configured;
  const fallback = heuristic(files, framework, language, `${found.source} names no existing test file`);
  return fallback.files.length > 0 ? fallback : configured;
}

function heuristic(
  files: readonly string[],
  framework: Framework,
  language: Language,
  why: string,
): TestDiscovery {
  const isTest = (file: string) => isConventionalTest(file, language);
  return {
    framework,
    language,
    files: files.filter(isTest).sort(),
    source: `${why}; test files by name conventions (test-named files and files below test/, tests/, spec/)`,
    heuristic: true,
    frameworkArgs: [],
    isTest,
  };
}

function readPackageJson(root: string): PackageJson | null {
  const text = readRepoText(root, "package.json");
  if (text === undefined) return null;
  try {
    const parsed = packageJsonSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : packageJsonSchema.parse({});
  } catch {
    return packageJsonSchema.parse({});
  }
}

/** `^2.4.5`, `~3.0`, `2.x`, `>=1.20 <3` → 2, 3, 2, 1; null for tags and URLs. */
function majorOf(range: string | undefined): number | null {
  const match = range === undefined ? null : /^[\^~>=<v\s]*(\d+)/.exec(range);
  return match?.[1] === undefined ? null : Number(match[1]);
}
