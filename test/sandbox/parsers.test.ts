import { describe, expect, it } from "vitest";
import { commandRunner } from "../../src/repo-tests/runners/command.ts";
import { filesOf, namePattern, parseJestJson } from "../../src/repo-tests/runners/jest-json.ts";
import { mochaRunner } from "../../src/repo-tests/runners/mocha.ts";
import { parseNodeJunit } from "../../src/repo-tests/runners/node-test.ts";
import { parsePytestJunit, pytestRunner } from "../../src/repo-tests/runners/pytest.ts";
import { shellQuote } from "../../src/repo-tests/types.ts";
import { decodeEntities, parseXml } from "../../src/repo-tests/xml.ts";
import type { RunResult } from "../../src/sandbox/sandbox.ts";

function run(overrides: Partial<RunResult>): RunResult {
  return {
    exitCode: 0,
    timedOut: false,
    oomKilled: false,
    outputCapped: false,
    durationMs: 10,
    stdout: "",
    stderr: "",
    truncated: false,
    collected: {},
    ...overrides,
  };
}

describe("xml", () => {
  it("parses nested elements, attributes, entities, comments and CDATA", () => {
    const root = parseXml(
      `<?xml version="1.0"?><!-- c --><a x="1 &lt; 2" y='q'><b/><c>t &amp; <![CDATA[<raw>]]></c></a>`,
    );
    const a = root.children[0];
    expect(a?.name).toBe("a");
    expect(a?.attributes).toEqual({ x: "1 < 2", y: "q" });
    expect(a?.children.map((c) => c.name)).toEqual(["b", "c"]);
    expect(a?.children[1]?.text).toBe("t & <raw>");
    expect(decodeEntities("&#65;&#x42;&quot;&unknown;")).toBe('AB"&unknown;');
  });
});

describe("pytest JUnit (xunit1)", () => {
  const xml = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5">
<testcase classname="tests.test_ops.TestAdd" name="test_add" file="tests/test_ops.py" line="6" time="0.001" />
<testcase classname="tests.test_ops" name="test_mul[2-3-6]" file="tests/test_ops.py" line="15" time="0.002" />
<testcase classname="tests.test_ops" name="test_sub" file="tests/test_ops.py" line="12" time="0.010"><failure message="assert -2 == 2">def test_sub():
&gt;       assert sub(5, 3) == 2</failure></testcase>
<testcase classname="tests.test_text" name="test_whisper" file="tests/test_text.py" line="9" time="0"><skipped type="pytest.skip" message="not written yet">skip</skipped></testcase>
<testcase classname="" name="tests.test_broken" time="0.000"><error message="collection failure">ImportError: no module named nope</error></testcase>
<testcase classname="" name="tests.test_other" file="tests/test_other.py" time="0.000"><error message="collection failure">ImportError: no module named nope</error></testcase>
</testsuite></testsuites>`;

  it("gives node ids, outcomes and messages", () => {
    expect(parsePytestJunit(xml)).toEqual([
      {
        id: "tests/test_ops.py::TestAdd::test_add",
        file: "tests/test_ops.py",
        outcome: "passed",
        durationMs: 1,
      },
      {
        id: "tests/test_ops.py::test_mul[2-3-6]",
        file: "tests/test_ops.py",
        outcome: "passed",
        durationMs: 2,
      },
      {
        id: "tests/test_ops.py::test_sub",
        file: "tests/test_ops.py",
        outcome: "failed",
        durationMs: 10,
        message: "assert -2 == 2",
      },
      {
        id: "tests/test_text.py::test_whisper",
        file: "tests/test_text.py",
        outcome: "skipped",
        durationMs: 0,
        message: "not written yet",
      },
      {
        id: "tests/test_broken.py",
        file: "tests/test_broken.py",
        outcome: "error",
        message: "collection failure\nImportError: no module named nope",
      },
      {
        id: "tests/test_other.py",
        file: "tests/test_other.py",
        outcome: "error",
        message: "collection failure\nImportError: no module named nope",
      },
    ]);
  });

  it("passes selected node ids to pytest, quoted", () => {
    const plan = pytestRunner().plan(["tests/test_ops.py::test_mul[2-3-6]", "tests/a b.py"]);
    expect(plan.command).toContain("'tests/test_ops.py::test_mul[2-3-6]' 'tests/a b.py'");
    expect(plan.collect).toEqual(["/tmp/autofix-reports/pytest.xml"]);
    expect(pytestRunner().parse(run({}))).toEqual([]);
  });
});

describe("jest / vitest JSON", () => {
  it("reads per-test outcomes and files that failed to load", () => {
    const report = {
      testResults: [
        {
          name: "/work/test/math.test.js",
          status: "failed",
          assertionResults: [
            { ancestorTitles: ["math"], title: "adds", status: "passed", duration: 1.4 },
            {
              ancestorTitles: ["math", "avg"],
              title: "rounds",
              status: "failed",
              failureMessages: ["expected 1"],
            },
            { ancestorTitles: [], title: "todo", status: "todo" },
          ],
        },
        {
          name: "/work/test/broken.test.js",
          status: "failed",
          message: "SyntaxError: x",
          assertionResults: [],
        },
      ],
    };
    expect(parseJestJson(JSON.stringify(report))).toEqual([
      { id: "test/math.test.js > math > adds", file: "test/math.test.js", outcome: "passed", durationMs: 1 },
      {
        id: "test/math.test.js > math > avg > rounds",
        file: "test/math.test.js",
        outcome: "failed",
        message: "expected 1",
      },
      { id: "test/math.test.js > todo", file: "test/math.test.js", outcome: "skipped" },
      { id: "test/broken.test.js", file: "test/broken.test.js", outcome: "error", message: "SyntaxError: x" },
    ]);
    expect(parseJestJson("not json")).toEqual([]);
    expect(parseJestJson('{"unexpected": true}')).toEqual([]);
  });

  it("builds a name pattern that matches both title separators, and only for full ids", () => {
    const pattern = namePattern(["a.test.js > outer (1) > inner", "b.test.js > top"]);
    expect(pattern).not.toBeNull();
    const regex = new RegExp(pattern ?? "");
    expect(regex.test("outer (1) > inner")).toBe(true);
    expect(regex.test("outer (1) inner")).toBe(true);
    expect(regex.test("top")).toBe(true);
    expect(regex.test("outer (1) > inner more")).toBe(false);
    expect(regex.test("outer x1) inner")).toBe(false);
    expect(namePattern(["a.test.js > t", "b.test.js"])).toBeNull();
    expect(filesOf(["a.test.js > t", "a.test.js > u", "b.test.js"])).toEqual(["a.test.js", "b.test.js"]);
  });
});

describe("node --test JUnit", () => {
  it("gives describe paths from nested suites and reports files that failed to load", () => {
    const xml = `<testsuites>
<testsuite name="math"><testcase name="adds" classname="math" file="/work/test/a.test.js"/>
<testsuite name="inner"><testcase name="fails" file="/work/test/a.test.js" failure="1 == 2"><failure type="testCodeFailure" message="1 == 2">AssertionError: 1 == 2</failure></testcase></testsuite>
<testcase name="skipped" file="/work/test/a.test.js"><skipped type="skipped" message="true"/></testcase></testsuite>
<testcase name="top level" classname="test" file="/work/test/a.test.js"/>
<testcase name="test/b.test.js" classname="test" file="/work/test/b.test.js"><failure message="test failed">SyntaxError</failure></testcase>
</testsuites>`;
    expect(parseNodeJunit(xml).map((r) => [r.id, r.outcome])).toEqual([
      ["test/a.test.js > math > adds", "passed"],
      ["test/a.test.js > math > inner > fails", "failed"],
      ["test/a.test.js > math > skipped", "skipped"],
      ["test/a.test.js > top level", "passed"],
      ["test/b.test.js", "error"],
    ]);
  });
});

describe("mocha reporter output", () => {
  it("reads title paths; a failing hook is an error of its file; a test reported twice keeps the worst", () => {
    const runner = mochaRunner();
    const plan = runner.plan(["test/a.spec.js > suite > works"]);
    expect(plan.files?.[0]?.path).toBe("/tmp/autofix-reports/mocha-reporter.cjs");
    expect(plan.command).toContain("--grep");
    const report = [
      { file: "/work/test/a.spec.js", titles: ["suite", "works"], outcome: "passed", durationMs: 2 },
      { file: "/work/test/a.spec.js", titles: ["suite", "twice"], outcome: "passed", durationMs: 1 },
      { file: "/work/test/a.spec.js", titles: ["suite", "twice"], outcome: "failed", message: "done() x2" },
      {
        file: "/work/test/a.spec.js",
        titles: ["suite", '"before all" hook'],
        hook: true,
        outcome: "error",
        message: "boom",
      },
      { file: null, titles: ["orphan"], hook: true, outcome: "error", message: "no file" },
    ];
    const results = runner.parse(
      run({ collected: { "/tmp/autofix-reports/mocha.json": JSON.stringify(report) } }),
    );
    expect(results).toEqual([
      { id: "test/a.spec.js > suite > works", file: "test/a.spec.js", outcome: "passed", durationMs: 2 },
      {
        id: "test/a.spec.js > suite > twice",
        file: "test/a.spec.js",
        outcome: "failed",
        message: "done() x2",
      },
      {
        id: "test/a.spec.js",
        file: "test/a.spec.js",
        outcome: "error",
        message: 'suite > "before all" hook: boom',
      },
      { id: "(unknown file) > orphan", file: null, outcome: "error", message: "no file" },
    ]);
    expect(runner.parse(run({ collected: { "/tmp/autofix-reports/mocha.json": "{" } }))).toEqual([]);
  });
});

describe("plain command", () => {
  it("is judged by its exit code, and a killed run fails", () => {
    const runner = commandRunner("make check");
    expect(runner.plan(null).command).toBe("make check");
    expect(runner.parse(run({ exitCode: 0 }))[0]?.outcome).toBe("passed");
    expect(runner.parse(run({ exitCode: 2, stderr: "boom" }))[0]).toMatchObject({
      outcome: "failed",
      message: "boom",
    });
    expect(runner.parse(run({ exitCode: 0, timedOut: true }))[0]?.outcome).toBe("failed");
  });
});

describe("shellQuote", () => {
  it("quotes what the shell would interpret", () => {
    expect(shellQuote("tests/a.py")).toBe("tests/a.py");
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });
});
