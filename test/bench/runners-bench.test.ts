// The runners benchmark's pure parts (bench/runners): reading the independent side (mocha's json
// reporter and the file-recording hook, pytest's collect list and summary line), comparing it with
// autofix's side, and the table. The bench itself needs Docker and checkouts and is not run here.
import { describe, expect, it } from "vitest";
import { countOutcomes } from "../../bench/runners/autofix-side.ts";
import { compareFiles, compareSides, notRunRow, titlesMissing } from "../../bench/runners/compare.ts";
import {
  mochaOwnCommand,
  mochaOwnPlan,
  parseMochaEpilogue,
  parseMochaJson,
  parseMochaOwn,
} from "../../bench/runners/own-mocha.ts";
import {
  countsOfTally,
  parsePytestOwn,
  parsePytestPlugin,
  parsePytestSummary,
  pytestOwnPlan,
} from "../../bench/runners/own-pytest.ts";
import { firstError } from "../../bench/runners/own-side.ts";
import { renderSummary, renderTable } from "../../bench/runners/report.ts";
import type { SideResult } from "../../bench/runners/types.ts";

const MOCHA_STDOUT = `listening on 3000
{ weird: 'console output before the report' }
{
  "stats": {
    "suites": 3,
    "tests": 6,
    "passes": 4,
    "pending": 1,
    "failures": 1
  },
  "failures": [{ "title": "fails", "fullTitle": "app fails" }],
  "passes": [{ "title": "works", "fullTitle": "app works" }]
}`;

describe("the own mocha side", () => {
  it("swaps the repository's reporter for mocha's json reporter and adds the hook", () => {
    const command = mochaOwnCommand("node_modules/.bin/_mocha -R json-cov --recursive ./test");
    expect(command).toMatch(
      /^node_modules\/\.bin\/_mocha --recursive \.\/test --reporter json --require \S+\.cjs$/,
    );
    expect(mochaOwnCommand("_mocha --reporter=dot test/")).not.toContain("dot");
    expect(mochaOwnCommand("_mocha --require test/support/env --reporter json test/")).toContain(
      "--require test/support/env",
    );
  });

  it("reads the stats after whatever the tests printed", () => {
    expect(parseMochaJson(MOCHA_STDOUT)).toEqual({
      passes: 4,
      failures: 1,
      pending: 1,
      passed: ["app works"],
      failed: ["app fails"],
    });
    expect(parseMochaJson("no report here")).toBeNull();
  });

  it("turns the hook's absolute paths into repository paths and reports what is missing", () => {
    const [filesReport, stdoutReport] = mochaOwnPlan("mocha test/").collect;
    if (filesReport === undefined || stdoutReport === undefined) throw new Error("two reports expected");
    const files = JSON.stringify({
      version: "1.19.0",
      files: ["/work/test/b.js", "/work/test/a.js", "/work/test/a.js"],
    });
    const result = parseMochaOwn({ [filesReport]: files, [stdoutReport]: MOCHA_STDOUT });
    expect(result).toEqual({
      version: "mocha 1.19.0",
      files: ["test/a.js", "test/b.js"],
      counts: { passed: 4, failed: 1, skipped: 1 },
      titles: { passed: ["app works"], failed: ["app fails"] },
      problem: null,
    });
    const nothing = parseMochaOwn({});
    expect(nothing.counts).toBeNull();
    expect(nothing.problem).toMatch(/no report.*no file list/);
  });

  it("falls back on the spec reporter's epilogue when the json report is lost", () => {
    const epilogue = "  ✓ works\n\n  121 passing (951ms)\n  2 pending\n  17 failing\n\n  1) fails:\n";
    expect(parseMochaEpilogue(epilogue)).toEqual({ passed: 121, failed: 17, skipped: 2 });
    expect(parseMochaEpilogue("  3 passing (2ms)\n")).toEqual({ passed: 3, failed: 0, skipped: 0 });
    expect(parseMochaEpilogue("crashed")).toBeNull();
    const reports = mochaOwnPlan("mocha test/").collect;
    const specReport = reports[2];
    if (specReport === undefined) throw new Error("a spec report expected");
    const result = parseMochaOwn({ [specReport]: epilogue });
    expect(result.counts).toEqual({ passed: 121, failed: 17, skipped: 2 });
    expect(result.problem).toContain("counts from the spec reporter");
  });
});

describe("the own pytest side", () => {
  it("reads the plugin's module list, sorted and once each, and its node ids per outcome", () => {
    const report = JSON.stringify({
      files: ["tests/b.py", "tests/a.py", "tests/a.py"],
      outcomes: { "tests/a.py::t1": "passed", "tests/a.py::t2": "failed", "tests/b.py::t[1]": "skipped" },
    });
    expect(parsePytestPlugin(report)).toEqual({
      files: ["tests/a.py", "tests/b.py"],
      titles: { passed: ["tests/a.py::t1"], failed: ["tests/a.py::t2"] },
    });
    expect(parsePytestPlugin("not json")).toBeNull();
    expect(parsePytestPlugin(undefined)).toBeNull();
    const plan = pytestOwnPlan("python3 -m pytest tests");
    expect(plan.command).toContain("python3 -m pytest tests -p autofix_bench_files");
    expect(plan.files[0]?.content).toContain("pytest_make_collect_report");
  });

  it("reads the last summary line, with or without the = rule", () => {
    const output =
      "...\n==== 3 failed, 120 passed, 2 skipped, 1 xfailed, 1 xpassed, 2 errors, 4 warnings in 4.20s ====\n";
    const tally = parsePytestSummary(output);
    expect(tally).toEqual({ passed: 120, failed: 3, error: 2, skipped: 2, xfailed: 1, xpassed: 1 });
    expect(tally && countsOfTally(tally)).toEqual({ passed: 121, failed: 5, skipped: 3 });
    expect(parsePytestSummary("7 passed in 0.03s")?.passed).toBe(7);
    expect(parsePytestSummary("===== no tests ran in 0.01s =====")?.passed).toBe(0);
    expect(parsePytestSummary("tests/test_a.py::test_x PASSED")).toBeNull();
  });

  it("puts the three reports together", () => {
    const [version, files, run] = pytestOwnPlan("python3 -m pytest tests").collect;
    if (version === undefined || files === undefined || run === undefined) throw new Error("three reports");
    const result = parsePytestOwn({
      [version]: "pytest 7.2.1\n",
      [files]: '{"files": ["tests/test_a.py"], "outcomes": {"tests/test_a.py::test_x": "failed"}}',
      [run]: "== 1 failed in 0.2s ==",
    });
    expect(result).toEqual({
      version: "pytest 7.2.1",
      files: ["tests/test_a.py"],
      counts: { passed: 0, failed: 1, skipped: 0 },
      titles: { passed: [], failed: ["tests/test_a.py::test_x"] },
      problem: null,
    });
  });
});

describe("comparing the two sides", () => {
  const identity = { repo: "o/r", ref: "Bug-1", commit: "a".repeat(40) };
  const side = (files: string[], passed: number, failed: number): SideResult => ({
    version: "mocha 2.0.0",
    files,
    counts: { passed, failed, skipped: 0 },
    problem: null,
  });

  it("matches equal file sets in any order and names the differences", () => {
    expect(compareFiles(["a", "b"], ["b", "a"]).match).toBe(true);
    const different = compareFiles(["a", "b"], ["b", "c"]);
    expect(different).toMatchObject({ match: false, onlyOwn: ["a"], onlyAutofix: ["c"], own: 2, autofix: 2 });
    expect(compareFiles(null, []).match).toBe(false);
  });

  it("counts errors as failures and explains a mismatch", () => {
    const counts = countOutcomes([
      { id: "a", file: "a", outcome: "passed" },
      { id: "b", file: "a", outcome: "error" },
      { id: "c", file: "a", outcome: "failed" },
      { id: "d", file: "a", outcome: "skipped" },
    ]);
    expect(counts).toEqual({ passed: 1, failed: 2, skipped: 1 });
    expect(compareSides(identity, side(["t/a.js"], 1, 2), side(["t/a.js"], 1, 2)).status).toBe("match");
    const row = compareSides(identity, side(["t/a.js", "t/b.js"], 10, 0), side(["t/a.js"], 8, 0));
    expect(row.status).toBe("mismatch");
    expect(row.note).toContain("only the own command runs t/b.js");
    expect(row.note).toContain("passed 10 (own) vs 8 (autofix)");
  });

  it("names the tests behind a count mismatch, counting repeated titles", () => {
    expect(titlesMissing(["a", "a", "b"], ["a", "c"])).toEqual(["a", "b"]);
    const own = { ...side(["t/a.js"], 2, 0), titles: { passed: ["s x", "s y"], failed: [] } };
    const autofix = { ...side(["t/a.js"], 1, 1), titles: { passed: ["s x"], failed: ["s y"] } };
    const row = compareSides(identity, own, autofix);
    expect(row.note).toContain('passed only by own: "s y"');
    expect(row.note).toContain('failed only by autofix: "s y"');
  });

  it("sets apart a repository whose own command ran no test, with the error that stopped it", () => {
    const stderr =
      "fs.js:48\n} = primordials;\n\nReferenceError: primordials is not defined\n    at fs.js:48:5";
    expect(firstError(stderr)).toBe("ReferenceError: primordials is not defined");
    expect(firstError("all good")).toBeNull();
    const own = { ...side(["t/a.js"], 0, 0), counts: null };
    const rows = [compareSides(identity, own, side(["t/a.js"], 0, 0))];
    expect(rows[0]?.status).toBe("no own result");
    expect(renderSummary(rows)).toBe(
      "runners: 0/0 repositories match exactly (own command ran no test: o/r)",
    );
  });

  it("tells tests that share a title path (one id in autofix) from tests autofix lacks", () => {
    const own = { ...side(["t/a.js"], 3, 0), titles: { passed: ["s x", "s x", "s z"], failed: [] } };
    const autofix = { ...side(["t/a.js"], 1, 0), titles: { passed: ["s x"], failed: [] } };
    const row = compareSides(identity, own, autofix);
    expect(row.note).toContain('1 passed tests share a title path with another (one id in autofix): "s x"');
    expect(row.note).toContain('passed only by own: "s z"');
  });

  it("renders one row per repository and a summary that leaves out what did not run", () => {
    const rows = [
      compareSides(identity, side(["t/a.js"], 3, 1), side(["t/a.js"], 3, 1)),
      compareSides({ ...identity, repo: "o/s" }, side(["t/a.js"], 3, 1), side(["t/a.js"], 2, 1)),
      notRunRow({ ...identity, repo: "o/m" }, "mocha", "needs MongoDB"),
    ];
    const table = renderTable(rows).split("\n");
    expect(table).toHaveLength(5);
    expect(table[2]).toContain("| 1/1 | yes | 3/3 | 1/1 | yes |");
    expect(table[3]).toContain("| 3/2 | 1/1 | NO |");
    expect(renderSummary(rows)).toBe(
      "runners: 1/2 repositories match exactly (mismatch: o/s; not run: o/m (needs MongoDB))",
    );
  });
});
