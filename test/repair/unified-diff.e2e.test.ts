import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { diffLines } from "../../src/repair/line-diff.ts";
import { unifiedDiff } from "../../src/repair/unified-diff.ts";
import { loadRepo } from "./fixture-repo.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Write `original`, `git apply` the diff, and read back `paths`: git is the judge of the format. */
function gitApply(original: Map<string, string>, diff: string, paths: string[]): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "autofix-diff-"));
  dirs.push(dir);
  for (const [path, text] of original) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, "patch.diff"), diff);
  execFileSync("git", ["apply", "--whitespace=nowarn", "patch.diff"], { cwd: dir, stdio: "pipe" });
  return new Map(paths.map((path) => [path, readFileSync(join(dir, path), "utf8")]));
}

describe("unifiedDiff", () => {
  it("produces a diff git applies to yield the edited files, new file included", () => {
    const original = loadRepo("python");
    const edited = new Map(original);
    const stats = original.get("calc/stats.py") ?? "";
    edited.set(
      "calc/stats.py",
      stats
        .replace("(len(values) - 1)", "len(values)")
        .replace("    if value > high:\n", "    if value >= high:\n"),
    );
    edited.set("tests/test_mean.py", "def test_x():\n    assert True\n");
    const paths = ["calc/stats.py", "tests/test_mean.py"];
    const { diff, added, removed } = unifiedDiff(original, edited, paths);
    expect(gitApply(original, diff, paths)).toEqual(new Map(paths.map((p) => [p, edited.get(p)])));
    expect([added, removed]).toEqual([4, 2]);
    // the two changes in stats.py are 6 lines apart: their 3-line contexts touch, one hunk
    expect(diff.match(/^@@ /gm)).toHaveLength(2);
  });

  it("handles files without a final newline on either side", () => {
    const original = new Map([
      ["a.txt", "one\ntwo"],
      ["b.txt", "one\ntwo\n"],
    ]);
    const edited = new Map([
      ["a.txt", "one\ntwo\n"],
      ["b.txt", "one\nTWO"],
    ]);
    const { diff } = unifiedDiff(original, edited, ["a.txt", "b.txt"]);
    expect(diff).toContain("\\ No newline at end of file");
    expect(gitApply(original, diff, ["a.txt", "b.txt"])).toEqual(edited);
  });

  it("round-trips random edits through git apply", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 20; round++) {
      const before = Array.from({ length: 30 }, () => `line ${random(8)}`);
      const after = before.flatMap((line) => {
        const roll = random(10);
        return roll === 0
          ? []
          : roll === 1
            ? [line, `new ${random(5)}`]
            : roll === 2
              ? [`changed ${line}`]
              : [line];
      });
      const original = new Map([["f.txt", `${before.join("\n")}\n`]]);
      const edited = new Map([["f.txt", `${after.join("\n")}\n`]]);
      const { diff } = unifiedDiff(original, edited, ["f.txt"]);
      if (diff.includes("@@")) expect(gitApply(original, diff, ["f.txt"])).toEqual(edited);
    }
  });
});

describe("diffLines", () => {
  it("finds a shortest edit script (as long as the LCS says)", () => {
    let seed = 3;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const a = Array.from({ length: random(12) }, () => String(random(4)));
      const b = Array.from({ length: random(12) }, () => String(random(4)));
      const ops = diffLines(a, b);
      expect(ops.filter((op) => op.kind !== "add").map((op) => op.line)).toEqual(a);
      expect(ops.filter((op) => op.kind !== "del").map((op) => op.line)).toEqual(b);
      expect(ops.filter((op) => op.kind === "same")).toHaveLength(lcsLength(a, b));
    }
  });

  it("still yields a correct (if not minimal) script past its edit budget", () => {
    const a = Array.from({ length: 1500 }, (_, i) => `old ${i}`);
    const b = ["keep", ...Array.from({ length: 1500 }, (_, i) => `new ${i}`)];
    const ops = diffLines(["keep", ...a], b);
    expect(ops[0]).toEqual({ kind: "same", line: "keep" });
    expect(ops.filter((op) => op.kind !== "add").map((op) => op.line)).toEqual(["keep", ...a]);
    expect(ops.filter((op) => op.kind !== "del").map((op) => op.line)).toEqual(b);
  });
});

function lcsLength(a: string[], b: string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = table[i] as number[];
      const previous = table[i - 1] as number[];
      row[j] =
        a[i - 1] === b[j - 1] ? (previous[j - 1] ?? 0) + 1 : Math.max(previous[j] ?? 0, row[j - 1] ?? 0);
    }
  }
  return table[a.length]?.[b.length] ?? 0;
}
