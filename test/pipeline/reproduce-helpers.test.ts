import { describe, expect, it } from "vitest";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import type { Detection } from "../../src/repo-tests/detect.ts";
import { discoverTests } from "../../src/repo-tests/discovery/discover-tests.ts";
import { extractTestFile, reproductionPath } from "../../src/reproduce/test-file.ts";
import { groupTests } from "../../src/reproduce/vote.ts";

/** Discovery over a file list alone (no configuration on disk): pytest's and jest's defaults. */
function detectionOf(files: string[], language: "python" | "javascript") {
  const found = discoverTests("/nonexistent-autofix-root", files);
  if (found === null) throw new Error("no tests discovered");
  return { language, isTest: found.isTest, testFiles: found.files };
}
const python = detectionOf(["tests/unit/test_ops.py", "test_top.py"], "python");
const js = { language: "javascript", testFiles: [], isTest: () => true } satisfies Partial<Detection>;

describe("reproduction test files", () => {
  it("go beside the example test, named so the framework collects them", () => {
    expect(reproductionPath(python, "tests/unit/test_ops.py", 2)).toBe("tests/unit/test_autofix_repro_2.py");
    expect(reproductionPath(python, undefined, 1)).toBe("tests/test_autofix_repro_1.py");
    expect(reproductionPath(python, "test_top.py", 1)).toBe("test_autofix_repro_1.py");
    expect(reproductionPath(js, "test/app.router.js", 1)).toBe("test/autofix-repro-1.js");
    expect(reproductionPath(js, "src/a.spec.ts", 3)).toBe("src/autofix-repro-3.spec.ts");
    expect(reproductionPath(js, "tests/lib/rules/no-extra-semi.js", 1)).toBe(
      "tests/lib/rules/autofix-repro-1.js",
    );
  });

  it("take a name the repository's own test configuration runs", () => {
    const mochaSpecs = {
      language: "javascript" as const,
      testFiles: ["test/unit/a.spec.js"],
      isTest: (file: string) => file.endsWith(".spec.js"),
    };
    expect(reproductionPath(mochaSpecs, "test/unit/a.js", 1)).toBe("test/unit/autofix-repro-1.spec.js");
    const checks = {
      language: "python" as const,
      testFiles: ["tests/check_ops.py"],
      isTest: (file: string) => /(^|\/)check_[^/]*\.py$/.test(file),
    };
    expect(reproductionPath(checks, "tests/check_ops.py", 2)).toBe("tests/check_autofix_repro_2.py");
  });

  it("are read from the largest closed fenced block; a cut-off or fence-less answer is refused with why", () => {
    const answer =
      "Run it with:\n```sh\npytest -q\n```\nThe test:\n```python\nfrom a import f\n\ndef test_f():\n    assert f() == 1\n```\n";
    expect(extractTestFile(answer, "stop")).toEqual({
      ok: true,
      text: "from a import f\n\ndef test_f():\n    assert f() == 1\n",
    });
    expect(extractTestFile("```python\ndef test_f():\n    assert", "length")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/cut off/),
    });
    expect(extractTestFile("I cannot write a test for this.", "stop")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no fenced code block/),
    });
  });

  it("are grouped by meaning: comments and spacing do not make a new test, a different assertion does", async () => {
    const registry = new LanguageRegistry();
    const a = { path: "tests/test_autofix_repro_1.py", text: "def test_f():\n    assert f([3, 1]) == 1\n" };
    const b = {
      path: "tests/test_autofix_repro_2.py",
      text: "def test_f():\n    # the smaller one\n    assert f( [3,1] ) == 1\n",
    };
    const c = { path: "tests/test_autofix_repro_3.py", text: "def test_f():\n    assert f([3, 1]) == 3\n" };
    const groups = await groupTests(registry, [c, a, b]);
    expect(groups.map((g) => [g.representative.path, g.votes])).toEqual([
      ["tests/test_autofix_repro_1.py", 2],
      ["tests/test_autofix_repro_3.py", 1],
    ]);
  });
});
