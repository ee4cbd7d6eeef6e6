import { describe, expect, it } from "vitest";
import { applyEdits } from "../../src/repair/apply.ts";
import { replaceOnce } from "../../src/repair/match.ts";
import { protectedPathMatcher } from "../../src/repair/protected.ts";
import { loadRepo } from "./fixture-repo.ts";

const isProtected = protectedPathMatcher([]);

describe("replaceOnce", () => {
  it("prefers an exact match", () => {
    const result = replaceOnce("a\n  b\nc\n", "  b", "  B");
    expect(result).toEqual({ kind: "exact", text: "a\n  B\nc\n" });
  });

  it("matches ignoring indentation and trailing spaces, re-indenting the replacement", () => {
    const content = "def f():\n    if x:\n        return 1\n    return 2\n";
    const result = replaceOnce(content, "if x:  \n    return 1", "if x:\n    return 10\n# done");
    expect(result).toEqual({
      kind: "whitespace",
      text: "def f():\n    if x:\n        return 10\n    # done\n    return 2\n",
    });
  });

  it("removes indentation when the SEARCH was indented more than the file", () => {
    const result = replaceOnce("x = 1\ny = 2\n", "    x = 1", "    x = 3\n    z = 0");
    expect(result).toEqual({ kind: "whitespace", text: "x = 3\nz = 0\ny = 2\n" });
  });

  it("refuses a shift that is not the same on every line", () => {
    expect(replaceOnce("a\n  b\n", "a\nb", "x").kind).toBe("not_found");
  });

  it("refuses an ambiguous match, exact or loose", () => {
    expect(replaceOnce("x\ny\nx\n", "x", "z")).toEqual({ kind: "ambiguous", count: 2 });
    expect(replaceOnce("  x\n    x\n", "x", "z")).toEqual({ kind: "ambiguous", count: 2 });
  });

  it("keeps a CRLF file CRLF", () => {
    const result = replaceOnce("a\r\n  b\r\n  c\r\nd\r\n", "b\nc", "B\nC");
    expect(result).toEqual({ kind: "whitespace", text: "a\r\n  B\r\n  C\r\nd\r\n" });
    expect(replaceOnce("x\r\ny\r\n", "y", "z")).toEqual({ kind: "exact", text: "x\r\nz\r\n" });
  });

  it("does not match a blank SEARCH", () => {
    expect(replaceOnce("a\n\nb\n", "\n", "x").kind).toBe("not_found");
  });
});

describe("applyEdits", () => {
  const repo = loadRepo("python");

  it("applies edits in order and lists the changed files", () => {
    const result = applyEdits(
      repo,
      [
        { path: "calc/stats.py", search: "    return total / (len(values) - 1)", replace: "    return 0" },
        { path: "calc/stats.py", search: "    return 0", replace: "    return total / len(values)" },
      ],
      { isProtected },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.failures));
    expect(result.changedPaths).toEqual(["calc/stats.py"]);
    expect(result.files.get("calc/stats.py")).toContain("    return total / len(values)\n");
    expect(repo.get("calc/stats.py")).toContain("(len(values) - 1)");
  });

  it("reports every failing edit and applies none", () => {
    const result = applyEdits(
      repo,
      [
        { path: "calc/stats.py", search: "    return value", replace: "    return int(value)" },
        { path: "calc/stats.py", search: "    total = 0", replace: "    total = 0.0" },
        { path: "calc/nope.py", search: "x", replace: "y" },
        { path: "calc/stats.py", search: "does not occur", replace: "y" },
      ],
      { isProtected },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failures.map((failure) => [failure.index, failure.kind])).toEqual([
      [1, "ambiguous"],
      [2, "missing_file"],
      [3, "not_found"],
    ]);
  });

  it("creates a new file from an empty SEARCH, but never overwrites one", () => {
    const created = applyEdits(repo, [{ path: "calc/new.py", search: "", replace: "X = 1" }], {
      isProtected,
    });
    expect(created.ok && created.files.get("calc/new.py")).toBe("X = 1\n");
    const overwrite = applyEdits(repo, [{ path: "calc/stats.py", search: "", replace: "X = 1" }], {
      isProtected,
    });
    expect(!overwrite.ok && overwrite.failures[0]?.kind).toBe("file_exists");
  });

  it("refuses .github/** always and configured globs", () => {
    const custom = protectedPathMatcher(["calc/**", "*.lock"]);
    const edits = [
      { path: ".github/workflows/ci.yml", search: "      - run: pytest", replace: "      - run: true" },
      { path: "calc/stats.py", search: "    return value", replace: "    return 0" },
      { path: "poetry.lock", search: "", replace: "x" },
    ];
    const result = applyEdits(repo, edits, { isProtected: custom });
    expect(!result.ok && result.failures.map((failure) => [failure.kind, failure.message])).toEqual([
      [
        "protected_path",
        ".github/workflows/ci.yml is a protected path (github-config: .github/**): a patch may change the code under repair, not what judges it",
      ],
      [
        "protected_path",
        expect.stringContaining("calc/stats.py is a protected path (configured-protected-paths: calc/**)"),
      ],
      [
        "protected_path",
        expect.stringContaining("poetry.lock is a protected path (python-dependencies: **/poetry.lock)"),
      ],
    ]);
    const defaults = applyEdits(repo, edits.slice(1, 2), { isProtected });
    expect(defaults.ok).toBe(true);
  });

  it("lists no changed path when the edits change nothing", () => {
    const result = applyEdits(
      repo,
      [{ path: "calc/stats.py", search: "    return value", replace: "    return value" }],
      { isProtected },
    );
    expect(result.ok && result.changedPaths).toEqual([]);
  });

  it("asks the guard whether an edit creates the file, and names an unnamed refusal", () => {
    const seen: [string, boolean | undefined][] = [];
    const result = applyEdits(
      repo,
      [
        { path: "calc/new.py", search: "", replace: "X = 1" },
        { path: "calc/stats.py", search: "    return value", replace: "    return 0" },
      ],
      {
        isProtected: (path, change) => {
          seen.push([path, change?.creates]);
          return path === "calc/stats.py";
        },
      },
    );
    expect(seen).toEqual([
      ["calc/new.py", true],
      ["calc/stats.py", false],
    ]);
    expect(!result.ok && result.failures[0]?.message).toMatch(/^calc\/stats\.py is a protected path/);
  });
});
