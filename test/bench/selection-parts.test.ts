// The selection benchmark's pure parts (bench/selection), without Docker or a BugsJS checkout:
// its options, the bug list from a fork's tags, which files are test files, the repository's mocha
// setup, the wrong variants added for fixes that change calls or only remove lines, and the totals.
import { describe, expect, it } from "vitest";
import { projectOf } from "../../bench/selection/dataset.ts";
import type { PoolOutcome } from "../../bench/selection/evaluate.ts";
import { mochaSetupOf } from "../../bench/selection/harness.ts";
import { neighbourRemoved, weakenedCall } from "../../bench/selection/mutate.ts";
import { benchOptions } from "../../bench/selection/options.ts";
import { setupCommand } from "../../bench/selection/prepare.ts";
import { bugNumbers, forkDir } from "../../bench/selection/projects.ts";
import { isSuiteFile, suiteFiles } from "../../bench/selection/regression.ts";
import { type BugRow, choseGold, totalsByProject } from "../../bench/selection/report.ts";
import { isAutofixError } from "../../src/errors.ts";

function thrown(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAutofixError(error)) return error.describe();
    throw error;
  }
  throw new Error("expected an error");
}

describe("selection bench options", () => {
  it("takes the checkouts from --repos, else from $AUTOFIX_REPOS, and names the flag when both are missing", () => {
    expect(benchOptions(["--repos", "/data/checkouts"], {}).repos).toBe("/data/checkouts");
    expect(benchOptions([], { AUTOFIX_REPOS: "/elsewhere" }).repos).toBe("/elsewhere");
    expect(thrown(() => benchOptions([], {}))).toMatch(/--repos DIR \(or \$AUTOFIX_REPOS\) is required/);
  });

  it("runs every known project unless told, and refuses an unknown one by name", () => {
    expect(benchOptions(["--repos", "r"], {}).projects).toEqual(["Express", "Hexo", "Hessian.js"]);
    expect(benchOptions(["--repos", "r", "--projects", "Hexo, Hessian.js"], {}).projects).toEqual([
      "Hexo",
      "Hessian.js",
    ]);
    expect(thrown(() => benchOptions(["--repos", "r", "--projects", "Karma"], {}))).toMatch(
      /--projects: unknown project Karma/,
    );
    expect(thrown(() => benchOptions(["--repos", "r", "--regression-files=-2"], {}))).toMatch(
      /--regression-files/,
    );
  });

  it("finds a project's fork under the checkouts folder", () => {
    expect(forkDir("/data", "Hessian.js")).toBe("/data/BugsJS/hessian.js");
  });

  it("runs only the named dependencies' install scripts after the script-less install", () => {
    const setup = setupCommand(["hexo-util"]);
    expect(setup).toMatch(/^npm install [^&]*--ignore-scripts/);
    expect(setup).toMatch(
      /&& if \[ -d node_modules\/hexo-util \]; then npm rebuild --loglevel=error hexo-util; fi$/,
    );
    expect(setupCommand([])).not.toContain("rebuild");
  });
});

describe("selection bench bugs from tags", () => {
  it("keeps the Bug-N tags that have their -test and -full tags, in number order", () => {
    const tags = [
      "Bug-10",
      "Bug-10-test",
      "Bug-10-full",
      "Bug-2",
      "Bug-2-test",
      "Bug-2-full",
      "Bug-3",
      "Bug-3-test",
    ];
    expect(bugNumbers([...tags, "Bug-2-original", "1.0.0"])).toEqual([2, 10]);
  });

  it("reads the project from a bug's name", () => {
    expect(projectOf("Hessian.js-12")).toBe("Hessian.js");
    expect(projectOf("BugsJS__Express-3")).toBe("Express");
  });
});

describe("selection bench test files", () => {
  it("counts files that declare tests, not aggregators, support files or fixtures", () => {
    expect(
      isSuiteFile("test/scripts/helpers/is.js", "describe('is', function(){\n  it('is_home', f);\n});"),
    ).toBe(true);
    expect(
      isSuiteFile("test/index.js", "describe('Hexo', function(){\n  require('./scripts/box');\n});"),
    ).toBe(false);
    expect(isSuiteFile("test/fixtures/a.js", "it('x', f);")).toBe(false);
    expect(isSuiteFile("test/support/env.js", "process.env.NODE_ENV = 'test';")).toBe(false);
    expect(isSuiteFile("test/a.json", "it(")).toBe(false);
    expect(isSuiteFile("test/a.js", "obj.it('x');")).toBe(false);
  });

  it("lists test files under the reproduction files' folders and by convention elsewhere", () => {
    const content: Record<string, string> = {
      "test/scripts/helpers/is.js": "it('a', f)",
      "test/scripts/box/file.js": "it('b', f)",
      "test/index.js": "require('./scripts')",
      "lib/util.spec.js": "it('c', f)",
      "lib/util.js": "module.exports = it(1)",
      "docs/example.js": "it('d', f)",
    };
    const files = Object.keys(content);
    const suite = suiteFiles(files, ["test/scripts/helpers/is.js"], (file) => content[file] ?? "");
    expect(suite.sort()).toEqual([
      "lib/util.spec.js",
      "test/scripts/box/file.js",
      "test/scripts/helpers/is.js",
    ]);
  });
});

describe("selection bench mocha setup", () => {
  it("reads requires (-r and --require), NODE_ENV and the timeout from the repository's commands", () => {
    const setup = mochaSetupOf([
      "--require should\n--slow 20",
      "NODE_ENV=test mocha -R spec -t 15000 -r should test/*.test.js",
      "test:\n\t@./node_modules/.bin/mocha --require test/support/env --timeout 3000 $(TESTS)",
    ]);
    expect(setup).toEqual({ requires: ["should", "test/support/env"], nodeEnv: "test", timeoutMs: 15000 });
    expect(mochaSetupOf(["mocha -R spec test/"])).toEqual({ requires: [], nodeEnv: null, timeoutMs: null });
  });
});

describe("selection bench wrong variants for any fix", () => {
  const edit = (search: string, replace: string) => [{ path: "lib/a.js", search, replace }];

  it("drops the wrapper of a call the fix writes, or its last argument", () => {
    const wrapped = edit("  var text = $(this).html();", "  var text = _.escape($(this).text());");
    expect(weakenedCall(wrapped)?.[0]?.replace).toBe("  var text = $(this).text();");
    const joined = edit(
      "  return url.resolve(post.path, this.slug);",
      "  return pathFn.join(post.path, this.slug);",
    );
    expect(weakenedCall(joined)?.[0]?.replace).toBe("  return pathFn.join(post.path);");
    expect(weakenedCall(edit("  a();", "  if (x) a();"))).toBeNull();
  });

  it("removes the statement after the removed lines instead, for a fix that only removes", () => {
    const search =
      "  key = this.read();\n  key = key.toString();\n  debug('prop %j', key);\n  result[key] = 1;";
    const removing = edit(search, "  key = this.read();\n  debug('prop %j', key);\n  result[key] = 1;");
    expect(neighbourRemoved(removing)?.[0]?.replace).toBe(
      "  key = this.read();\n  key = key.toString();\n  result[key] = 1;",
    );
    expect(neighbourRemoved(edit("  a();\n  b();", "  a();\n  c();"))).toBeNull();
  });
});

describe("selection bench totals", () => {
  const pool = (over: Partial<PoolOutcome>): PoolOutcome => ({
    candidates: 10,
    accepted: 8,
    groups: 3,
    refused: 2,
    runs: 4,
    runsWithoutGrouping: 9,
    decision: "patch",
    reason: "",
    chosenKinds: ["gold", "gold-reformatted"],
    goldValidated: true,
    twinsGrouped: true,
    unsupported: false,
    regressionRan: 12,
    regressionSteady: 12,
    withoutRegressionTests: false,
    goldVerdict: "",
    ...over,
  });
  const row = (bug: string, withGold: PoolOutcome): BugRow => ({
    bug,
    kept: 1,
    selection: 3,
    regressionTests: 12,
    wrongKinds: ["wrong-inverted"],
    withGold,
    withoutGold: pool({ decision: "abstain", chosenKinds: [], goldValidated: null }),
  });

  it("counts a gold patch chosen with no regression test run as a failure", () => {
    expect(choseGold(pool({}))).toBe(true);
    expect(choseGold(pool({ regressionSteady: 0, withoutRegressionTests: true }))).toBe(false);
    expect(choseGold(pool({ chosenKinds: ["wrong-inverted"] }))).toBe(false);
  });

  it("gives one totals line per project, with its left-out bugs", () => {
    const rows = [
      row("Hexo-1", pool({})),
      row("Hexo-3", pool({ withoutRegressionTests: true })),
      row("Express-1", pool({})),
    ];
    const excluded = [{ bug: "Hessian.js-1", exclusion: { stage: "dataset", reason: "package.json" } }];
    const totals = Object.fromEntries(totalsByProject(rows, excluded));
    expect(Object.keys(totals)).toEqual(["Hexo", "Express", "Hessian.js"]);
    expect(totals.Hexo).toMatchObject({ bugs: 2, correctChosen: 1, withoutRegressionTests: 1, abstained: 2 });
    expect(totals["Hessian.js"]).toMatchObject({ bugs: 1, excluded: 1, withGoldPools: 0 });
  });
});
