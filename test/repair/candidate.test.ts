import { beforeAll, describe, expect, it } from "vitest";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import { type AcceptedCandidate, type Candidate, prepareCandidate } from "../../src/repair/candidate.ts";
import { groupCandidates } from "../../src/repair/group.ts";
import { protectedPathMatcher } from "../../src/repair/protected.ts";
import { answer, loadRepo } from "./fixture-repo.ts";

const registry = new LanguageRegistry();
const isProtected = protectedPathMatcher([]);

async function prepareAll(name: string, answers: string[]): Promise<Map<string, Candidate>> {
  const original = loadRepo(name);
  const prepared = new Map<string, Candidate>();
  for (const file of answers) {
    prepared.set(file, await prepareCandidate(file, answer(name, file), { registry, original, isProtected }));
  }
  return prepared;
}

function accepted(candidate: Candidate | undefined): AcceptedCandidate {
  if (candidate?.status !== "accepted") throw new Error(`not accepted: ${JSON.stringify(candidate)}`);
  return candidate;
}

describe("a pool of Python candidates", () => {
  const names = [
    "right",
    "right-reformatted",
    "right-commented",
    "different-fix",
    "wrong",
    "ambiguous",
    "syntax-error",
    "protected",
    "missing-divider",
    "truncated",
    "missing-file",
    "new-file",
    "comment-only",
    "prose-only",
  ];
  let pool: Map<string, Candidate>;
  beforeAll(async () => {
    pool = await prepareAll("python", names);
  });

  it("refuses each bad candidate for its own reason", () => {
    const refusals = Object.fromEntries(
      [...pool].flatMap(([name, candidate]) =>
        candidate.status === "refused" ? [[name, candidate.refusal]] : [],
      ),
    );
    expect(refusals).toEqual({
      ambiguous: "edits_failed",
      "syntax-error": "syntax_error",
      protected: "protected_path",
      "missing-divider": "malformed",
      truncated: "malformed",
      "missing-file": "edits_failed",
      "new-file": "protected_path",
      "comment-only": "no_change",
      "prose-only": "empty",
    });
  });

  it("says why: ambiguous count, syntax error counts, protected path, truncation", () => {
    const reason = (name: string) => {
      const candidate = pool.get(name);
      return candidate?.status === "refused" ? candidate.reason : "";
    };
    expect(reason("ambiguous")).toMatch(/occurs 2 times in calc\/stats\.py/);
    expect(reason("syntax-error")).toMatch(/calc\/stats\.py \(0 → \d+ syntax error nodes\)/);
    expect(reason("protected")).toContain(".github/workflows/ci.yml is a protected path");
    expect(reason("truncated")).toContain("cut off");
  });

  it("applies the whitespace-sloppy twin with the file's indentation", () => {
    const twin = accepted(pool.get("right-reformatted"));
    expect(twin.applied.map((edit) => edit.match)).toEqual(["whitespace"]);
    expect(twin.files.get("calc/stats.py")).toContain(
      "    # the mean divides by the count\n    return total/len( values )\n",
    );
  });

  it("groups the reformatted and commented twins with the right fix, and nothing else", () => {
    const candidates = [...pool.values()].filter((c): c is AcceptedCandidate => c.status === "accepted");
    const groups = groupCandidates(candidates);
    expect(groups.map((group) => group.members)).toEqual([
      ["right", "right-reformatted", "right-commented"],
      ["wrong"],
      ["different-fix"],
    ]);
    // one vote each: the smaller diff ranks first
    expect(groups[1]?.representative.diffSize).toBeLessThan(groups[2]?.representative.diffSize ?? 0);
    expect(groups[0]?.votes).toBe(3);
    // "right" and "right-commented" both change 2 lines, "right-reformatted" 3: the earliest smallest wins
    expect(groups[0]?.representative.id).toBe("right");
    expect(accepted(pool.get("right-reformatted")).diffSize).toBe(3);
  });

  it("refuses a fix that also creates a test file: a patch may not add to what judges it", () => {
    const withTest = pool.get("new-file");
    expect(withTest?.status === "refused" && withTest.reason).toContain(
      "tests/test_mean.py is a protected path (test-files: **/tests/**)",
    );
  });
});

describe("a pool of JavaScript candidates", () => {
  let pool: Map<string, Candidate>;
  beforeAll(async () => {
    pool = await prepareAll("js", [
      "right",
      "right-reformatted",
      "wrong",
      "syntax-error",
      "ambiguous",
      "no-path",
    ]);
  });

  it("puts the twin with a comment, a trailing comma and no semicolon in the right fix's group", () => {
    const right = accepted(pool.get("right"));
    const twin = accepted(pool.get("right-reformatted"));
    const wrong = accepted(pool.get("wrong"));
    expect(twin.key).toBe(right.key);
    expect(wrong.key).not.toBe(right.key);
    expect(twin.files.get("lib/range.js")).not.toBe(right.files.get("lib/range.js"));
  });

  it("refuses the candidate that drops a closing brace, the ambiguous one and the one without a path", () => {
    const refusal = (name: string) => {
      const candidate = pool.get(name);
      return candidate?.status === "refused" ? candidate.refusal : candidate?.status;
    };
    expect(refusal("syntax-error")).toBe("syntax_error");
    expect(refusal("ambiguous")).toBe("edits_failed");
    expect(refusal("no-path")).toBe("malformed");
  });
});

describe("syntax check against the original", () => {
  it("accepts an edit to a file that was already broken, when it adds no new error", async () => {
    const original = new Map([["a.py", "def f(:\n    pass\n\nx = 1\n"]]);
    const edit = "```python\n### a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n```";
    const candidate = await prepareCandidate("c", edit, { registry, original, isProtected });
    expect(candidate.status).toBe("accepted");
  });

  it("leaves files in unknown languages unchecked but still groups them", async () => {
    const original = new Map([["notes.txt", "a  b\n"]]);
    const one = "```\n### notes.txt\n<<<<<<< SEARCH\na  b\n=======\na c\n>>>>>>> REPLACE\n```";
    const two = "```\n### notes.txt\n<<<<<<< SEARCH\na  b\n=======\na   c  \n>>>>>>> REPLACE\n```";
    const first = accepted(await prepareCandidate("1", one, { registry, original, isProtected }));
    const second = accepted(await prepareCandidate("2", two, { registry, original, isProtected }));
    expect(first.uncheckedSyntax).toEqual(["notes.txt"]);
    expect(second.key).toBe(first.key);
  });
});

describe("normalization keeps meaning", () => {
  const original = new Map([["f.py", "def f(x):\n    if x:\n        x += 1\n    return x\n"]]);
  const edit = (replace: string) =>
    `\`\`\`python\n### f.py\n<<<<<<< SEARCH\n        x += 1\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\``;

  it("tells apart Python edits that differ only by the block a line is in", async () => {
    const inside = accepted(
      await prepareCandidate("in", edit("        x += 1\n        x *= 2"), {
        registry,
        original,
        isProtected,
      }),
    );
    const after = accepted(
      await prepareCandidate("out", edit("        x += 1\n    x *= 2"), { registry, original, isProtected }),
    );
    expect(after.key).not.toBe(inside.key);
  });

  it("tells apart a Python tuple from a parenthesized value, but not quote styles", async () => {
    const keyOf = async (replace: string) =>
      accepted(await prepareCandidate(replace, edit(replace), { registry, original, isProtected })).key;
    expect(await keyOf("        x = (x,)")).not.toBe(await keyOf("        x = (x)"));
    expect(await keyOf("        x = 'a'")).toBe(await keyOf('        x = "a"'));
  });
});
