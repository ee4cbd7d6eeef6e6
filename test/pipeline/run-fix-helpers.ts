import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { parse } from "yaml";
import { parseConfigText } from "../../src/config/load.ts";
import { type Report, reportSchema } from "../../src/contract/report.ts";
import { Ledger } from "../../src/llm/ledger.ts";
import { MeteredLlm } from "../../src/llm/metered-llm.ts";
import { runFix } from "../../src/pipeline/run-fix.ts";
import { type Rule, scriptSchema } from "../../src/scripted-model/script.ts";
import type { FakeRule, FakeSandbox, FakeVerdict, FakeWorkspace } from "../fakes/fake-sandbox.ts";
import type { ScriptedLlm } from "../fakes/scripted-llm.ts";

/** The py-median fixture the Docker-tier test (fix-python.docker.test.ts) runs for real. */
export const FIXTURE = path.resolve("test/fixtures/fix/py-median");

const stats = (workspace: FakeWorkspace) => workspace.read("textstats/stats.py") ?? "";
const sorts = (workspace: FakeWorkspace) => /ordered = sorted\(\s*values\s*\)/.test(stats(workspace));
/** The even-count branch is intact: the mean of the two middle values of `ordered`. */
const averagesMiddles = (workspace: FakeWorkspace) =>
  stats(workspace).includes("return (ordered[middle - 1] + ordered[middle]) / 2") &&
  stats(workspace).includes("middle = len(ordered) // 2");
const judged = (passes: boolean, message: string): FakeVerdict =>
  passes ? "passed" : { outcome: "failed", message };

/**
 * What real pytest says of the py-median fixture's tests, by what textstats/stats.py does: an
 * unsorted input needs the sort, an even count needs the two middles averaged; a module that does
 * not exist fails the import; `while True` in the code under test never ends.
 */
export const MEDIAN_RULES: readonly FakeRule[] = [
  {
    file: /\.py$/,
    loadError: (workspace, file) => {
      const imported = /^from (textstats\.\w+) import/m.exec(workspace.read(file) ?? "")?.[1];
      const module = imported?.replaceAll(".", "/");
      return module === undefined || workspace.read(`${module}.py`) !== undefined
        ? undefined
        : `ModuleNotFoundError: No module named '${imported}'`;
    },
  },
  { test: /./, outcome: (workspace) => (stats(workspace).includes("while True") ? "hang" : undefined) },
  {
    test: /::test_median_of_unsorted_values$/,
    outcome: (workspace) => judged(sorts(workspace), "assert 1 == 2"),
  },
  {
    test: /::test_median_of_unsorted_even_count$/,
    outcome: (workspace) => judged(sorts(workspace) && averagesMiddles(workspace), "assert 2.0 == 2.5"),
  },
  {
    test: "tests/test_stats.py::test_median_sorted_even",
    outcome: (workspace) => judged(averagesMiddles(workspace), "assert 1.5 == 2.5"),
  },
];

/** The rules of one of the fixture's model scripts whose name is in `names` (e.g. its localization). */
export function scriptRules(file: string, names: readonly string[]): Rule[] {
  const script = scriptSchema.parse(parse(readFileSync(path.join(FIXTURE, file), "utf8")));
  return script.rules.filter((rule) => rule.name !== undefined && names.includes(rule.name));
}

export type FixRun = { report: Report; root: string };

/**
 * `runFix` in-process, as `autofix fix` calls it, on a fresh temp-dir copy of `repoDir`: the config
 * is `config` (YAML), else the repository's .github/autofix.yml, like `--config` on the CLI.
 */
export async function fixInProcess(options: {
  llm: ScriptedLlm;
  sandbox: FakeSandbox;
  config?: string;
  repoDir?: string;
}): Promise<FixRun> {
  const root = mkdtempSync(path.join(tmpdir(), "autofix-run-fix-"));
  cpSync(options.repoDir ?? path.join(FIXTURE, "repo"), root, { recursive: true });
  const text = options.config ?? readOptional(path.join(root, ".github", "autofix.yml"));
  const parsed = parseConfigText(text);
  if (!parsed.ok) throw new Error(parsed.problems.map((problem) => problem.message).join("; "));
  const { config } = parsed;
  const ledger = new Ledger({
    maxTokens: config.limits.maxTokensPerRun,
    maxDollars: config.limits.maxDollarsPerRun,
  });
  const [title = "", ...body] = readFileSync(path.join(FIXTURE, "issue.md"), "utf8").split("\n");
  const report = await runFix(
    {
      repo: { root, key: "local/py-median", commit: "fixture" },
      issue: { title, body: body.join("\n") },
      config,
    },
    { llm: new MeteredLlm(options.llm, ledger, () => "scripted-model"), ledger, sandbox: options.sandbox },
  );
  // What report.json holds must read back through the one schema, unchanged.
  expect(reportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(JSON.parse(JSON.stringify(report)));
  return { report, root };
}

function readOptional(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
