import { describe, expect, it } from "vitest";
import { parsePytestJunit } from "../../src/repo-tests/runners/pytest.ts";
import type { TestResult } from "../../src/repo-tests/types.ts";
import { filterReproductionTests, reportedErrorNames } from "../../src/validate/repro-filter.ts";

// A pytest JUnit report (xunit1, as our runner asks for) of four sampled reproduction test files
// run on the unpatched code: one assertion failure, one reported-error failure, one test that
// passes, one missing fixture, and a file that fails to import.
const JUNIT = `<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="2" failures="2" skipped="0" tests="6">
<testcase classname="tests.test_repro_a" name="test_mean_of_two" file="tests/test_repro_a.py" line="3" time="0.001">
  <failure message="assert 6.0 == 3&#10; +  where 6.0 = mean([2, 4])">def test_mean_of_two():
&gt;       assert mean([2, 4]) == 3
E       assert 6.0 == 3</failure></testcase>
<testcase classname="tests.test_repro_b" name="test_mean_of_one" file="tests/test_repro_b.py" line="3" time="0.001">
  <failure message="ZeroDivisionError: division by zero">ZeroDivisionError</failure></testcase>
<testcase classname="tests.test_repro_c" name="test_mean_ok" file="tests/test_repro_c.py" line="3" time="0.001" />
<testcase classname="tests.test_repro_d" name="test_with_fixture" file="tests/test_repro_d.py" line="5" time="0.001">
  <error message="failed on setup with &quot;file tests/test_repro_d.py, line 5  def test_with_fixture(sample_values):  E  fixture 'sample_values' not found&quot;">fixture 'sample_values' not found</error></testcase>
<testcase classname="tests.test_repro_e" name="test_typo" file="tests/test_repro_e.py" line="3" time="0.001">
  <failure message="TypeError: mean() takes 1 positional argument but 2 were given">TypeError</failure></testcase>
<testcase classname="" name="tests.test_repro_f" time="0.000">
  <error message="collection failure">ImportError while importing test module 'tests/test_repro_f.py'.
E   ModuleNotFoundError: No module named 'calc.statistics'</error></testcase>
</testsuite></testsuites>`;

const ISSUE =
  "`mean([5])` raises ZeroDivisionError: division by zero, and mean([2, 4]) gives 6 instead of 3.";

describe("filterReproductionTests on a pytest run", () => {
  const ids = [
    "tests/test_repro_a.py::test_mean_of_two",
    "tests/test_repro_b.py::test_mean_of_one",
    "tests/test_repro_c.py::test_mean_ok",
    "tests/test_repro_d.py::test_with_fixture",
    "tests/test_repro_e.py::test_typo",
    "tests/test_repro_f.py::test_mean_import",
  ];
  const results = parsePytestJunit(JUNIT);

  it("keeps the assertion and reported-error failures and rejects the rest, each with its cause", () => {
    const verdicts = filterReproductionTests(ids, { results, problem: null }, reportedErrorNames(ISSUE));
    expect(verdicts.map((v) => [v.id.split("::")[0], v.keep, v.cause])).toEqual([
      ["tests/test_repro_a.py", true, "assertion"],
      ["tests/test_repro_b.py", true, "reported_error"],
      ["tests/test_repro_c.py", false, "passed"],
      ["tests/test_repro_d.py", false, "missing_fixture"],
      ["tests/test_repro_e.py", false, "other_exception"],
      // the pytest parser keeps only the message attribute ("collection failure"), not the traceback
      ["tests/test_repro_f.py", false, "import_error"],
    ]);
  });

  it("rejects an error the issue did not report", () => {
    const verdicts = filterReproductionTests(ids.slice(1, 2), { results, problem: null }, []);
    expect(verdicts[0]).toMatchObject({ keep: false, cause: "other_exception" });
  });

  it("keeps nothing from a run that cannot be trusted", () => {
    const verdicts = filterReproductionTests(ids, { results, problem: "timed out after 60s" }, [
      "ZeroDivisionError",
    ]);
    expect(verdicts.every((v) => !v.keep && v.cause === "run_problem")).toBe(true);
  });
});

describe("filterReproductionTests on JS runs", () => {
  const failed = (id: string, message: string): TestResult => ({
    id,
    file: id.split(" > ")[0] ?? id,
    outcome: "failed",
    message,
  });

  it("tells expectation failures from broken tests", () => {
    const results: TestResult[] = [
      failed(
        "test/range.test.js > suffix > clamps",
        "AssertionError: expected -1 to deeply equal { start: 0, end: 99 }",
      ),
      failed("test/b.test.js > jest", "Error: expect(received).toEqual(expected) // deep equality"),
      failed(
        "test/c.test.js > node assert",
        "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal",
      ),
      failed("test/d.test.js > typo", "ReferenceError: parseRnage is not defined"),
      failed("test/h.js > supertest", 'Error: expected "Allow" header field of "GET,PUT", got "GET,PUT,GET"'),
      failed("test/i.js > thrown", "Error: connect ECONNREFUSED 127.0.0.1:80"),
      {
        id: "test/e.test.js",
        file: "test/e.test.js",
        outcome: "error",
        message: "Error: Cannot find module '../lib/rang'",
      },
      {
        id: "test/f.test.js",
        file: "test/f.test.js",
        outcome: "error",
        message: "SyntaxError: Unexpected token '}'",
      },
    ];
    const ids = [
      "test/range.test.js > suffix > clamps",
      "test/b.test.js > jest",
      "test/c.test.js > node assert",
      "test/d.test.js > typo",
      "test/e.test.js > suffix > clamps",
      "test/f.test.js > anything",
      "test/g.test.js > never ran",
      "test/h.js > supertest",
      "test/i.js > thrown",
    ];
    const verdicts = filterReproductionTests(ids, { results, problem: null }, []);
    expect(verdicts.map((v) => [v.keep, v.cause])).toEqual([
      [true, "assertion"],
      [true, "assertion"],
      [true, "assertion"],
      [false, "name_error"],
      [false, "import_error"],
      [false, "syntax_error"],
      [false, "not_run"],
      [true, "assertion"],
      [false, "other_exception"],
    ]);
  });

  it("reads exception names from the issue", () => {
    expect(
      reportedErrorNames("It throws TypeError: x is undefined, then RangeError. Also TypeError."),
    ).toEqual(["TypeError", "RangeError"]);
  });
});
