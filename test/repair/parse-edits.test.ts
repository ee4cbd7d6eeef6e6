import { describe, expect, it } from "vitest";
import { cleanPath, parseEdits } from "../../src/repair/parse-edits.ts";
import { answer } from "./fixture-repo.ts";

describe("parseEdits", () => {
  it("reads one edit out of prose around a fenced block", () => {
    const { edits, problems } = parseEdits(answer("python", "right"));
    expect(problems).toEqual([]);
    expect(edits).toHaveLength(1);
    expect(edits[0]?.path).toBe("calc/stats.py");
    expect(edits[0]?.search.split("\n")).toHaveLength(4);
    expect(edits[0]?.replace.split("\n").at(-1)).toBe("    return total / len(values)");
  });

  it("reads several blocks, including an empty SEARCH for a new file", () => {
    const { edits, problems } = parseEdits(answer("python", "new-file"));
    expect(problems).toEqual([]);
    expect(edits.map((edit) => edit.path)).toEqual(["calc/stats.py", "tests/test_mean.py"]);
    expect(edits[1]?.search).toBe("");
    expect(edits[1]?.replace).toContain("def test_mean_of_two():");
  });

  it("reads several edits inside one block and cleans `./` off the path", () => {
    const text = [
      "```python",
      "### ./a.py",
      "<<<<<<< SEARCH",
      "x = 1",
      "=======",
      "x = 2",
      ">>>>>>> REPLACE",
      "",
      "<<<<<<< SEARCH",
      "y = 1",
      "=======",
      "y = 2",
      ">>>>>>> REPLACE",
      "```",
    ].join("\n");
    expect(parseEdits(text)).toEqual({
      edits: [
        { path: "a.py", search: "x = 1", replace: "x = 2" },
        { path: "a.py", search: "y = 1", replace: "y = 2" },
      ],
      problems: [],
    });
  });

  it("reports a block cut off mid-edit as truncated and keeps only complete edits", () => {
    const { edits, problems } = parseEdits(answer("python", "truncated"));
    expect(problems.map((problem) => problem.kind)).toEqual(["truncated"]);
    expect(problems[0]?.message).toContain("cut off");
    expect(edits).toHaveLength(1);
  });

  it("reports a block without the ======= divider as malformed", () => {
    const { problems } = parseEdits(answer("python", "missing-divider"));
    expect(problems.map((problem) => problem.kind)).toEqual(["malformed"]);
  });

  it("reports a SEARCH block with no `### path`", () => {
    const { edits, problems } = parseEdits(answer("js", "no-path"));
    expect(edits).toEqual([]);
    expect(problems.map((problem) => problem.kind)).toEqual(["no_path"]);
  });

  it("reports an answer with no edits at all", () => {
    const { edits, problems } = parseEdits(answer("python", "prose-only"));
    expect(edits).toEqual([]);
    expect(problems.map((problem) => problem.kind)).toEqual(["no_edits"]);
  });

  it("reports markers outside any fence and ignores code blocks without markers", () => {
    const text = "```python\nprint('hi')\n```\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n";
    const { edits, problems } = parseEdits(text);
    expect(edits).toEqual([]);
    expect(problems.map((problem) => problem.kind)).toEqual(["malformed"]);
  });

  it("refuses absolute and escaping paths", () => {
    expect(cleanPath("/etc/passwd")).toBeUndefined();
    expect(cleanPath("src/../../x.py")).toBeUndefined();
    expect(cleanPath("`src/x.py`")).toBe("src/x.py");
    const { problems } = parseEdits("```\n### ../x.py\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```");
    expect(problems.map((problem) => problem.kind)).toContain("bad_path");
  });

  it("takes the `### path` line written just above the fence", () => {
    const text = "Fix:\n\n### lib/a.js\n```js\n<<<<<<< SEARCH\nx;\n=======\ny;\n>>>>>>> REPLACE\n```\n";
    expect(parseEdits(text)).toEqual({
      edits: [{ path: "lib/a.js", search: "x;", replace: "y;" }],
      problems: [],
    });
  });
});
