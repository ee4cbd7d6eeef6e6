import { afterEach, describe, expect, it } from "vitest";
import { AutofixError } from "../../src/errors.ts";
import { type BranchPush, gitBranchPublisher } from "../../src/publish/git-branch.ts";
import { applyEdits } from "../../src/repair/apply.ts";
import { applyEditToText } from "../../src/repair/apply-edit.ts";
import { protectedPathMatcher } from "../../src/repair/protected.ts";
import type { Edit } from "../../src/repair/types.ts";
import { GitHttpServer } from "../support/git-http/server.ts";

// The repair stage (in memory) and the publishing clone (real git) apply edits with one function.

const TOKEN = "ghs_agreement";
const FILES = { "a.txt": "one\ntwo\ntwo\n", "src/f.py": "def f():\n    if x:\n        return 1\n" };
const servers: GitHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function publish(edits: Edit[]): Promise<{ ok: true; files: Record<string, string> } | { ok: false }> {
  const git = new GitHttpServer({ authorize: (password) => password === TOKEN });
  servers.push(git);
  await git.start();
  git.createRepository("o/r", FILES);
  const request: BranchPush = {
    cloneUrl: git.cloneUrl("o/r"),
    token: TOKEN,
    branch: "autofix/issue-1",
    base: "main",
    edits,
    message: "Fix it",
    author: { name: "autofix[bot]", email: "autofix[bot]@users.noreply.example.test" },
  };
  try {
    await gitBranchPublisher().pushBranch(request);
  } catch (error) {
    if (error instanceof AutofixError && error.code === "edit_does_not_apply") return { ok: false };
    throw error;
  }
  const show = (path: string) => git.git("o/r", "show", `refs/heads/autofix/issue-1:${path}`);
  const paths = [...new Set([...Object.keys(FILES), ...edits.map((edit) => edit.path)])];
  return { ok: true, files: Object.fromEntries(paths.map((path) => [path, show(path)])) };
}

function repair(edits: Edit[]): { ok: true; files: Record<string, string> } | { ok: false } {
  const result = applyEdits(new Map(Object.entries(FILES)), edits, { isProtected: protectedPathMatcher([]) });
  return result.ok ? { ok: true, files: Object.fromEntries(result.files) } : { ok: false };
}

describe("the repair stage and the publishing clone agree on edits", () => {
  const cases: [string, Edit[]][] = [
    ["a SEARCH that occurs twice", [{ path: "a.txt", search: "two", replace: "2" }]],
    ["a SEARCH that is not there", [{ path: "a.txt", search: "three", replace: "3" }]],
    ["an empty SEARCH over an existing file", [{ path: "a.txt", search: "", replace: "x" }]],
    ["a SEARCH in a missing file", [{ path: "b.txt", search: "one", replace: "1" }]],
    ["an exact SEARCH", [{ path: "a.txt", search: "one", replace: "ONE" }]],
    [
      "a SEARCH that matches ignoring indentation",
      [{ path: "src/f.py", search: "if x:\n    return 1", replace: "if x:\n    return 2" }],
    ],
    ["an empty SEARCH that creates a file", [{ path: "new/c.txt", search: "", replace: "sea" }]],
  ];
  it.each(cases)("%s", async (_name, edits) => {
    expect(await publish(edits)).toEqual(repair(edits));
  });
});

describe("applyEditToText", () => {
  it("refuses a SEARCH that occurs twice, with how often", () => {
    expect(applyEditToText("x\ny\nx\n", { path: "a", search: "x", replace: "z" })).toEqual({
      ok: false,
      refusal: {
        kind: "ambiguous",
        count: 2,
        message: "the SEARCH text occurs 2 times in a; it must occur once",
      },
    });
  });

  it("creates a file from an empty SEARCH, ending it with a newline, and replaces only an empty file", () => {
    expect(applyEditToText(undefined, { path: "a", search: "", replace: "x" })).toEqual({
      ok: true,
      text: "x\n",
      match: "new_file",
    });
    expect(applyEditToText("", { path: "a", search: " ", replace: "x\n" })).toMatchObject({ ok: true });
    expect(applyEditToText("y\n", { path: "a", search: "", replace: "x" })).toMatchObject({
      ok: false,
      refusal: { kind: "file_exists" },
    });
  });

  it("refuses a non-empty SEARCH in a file that does not exist", () => {
    expect(applyEditToText(undefined, { path: "a", search: "x", replace: "y" })).toMatchObject({
      ok: false,
      refusal: { kind: "missing_file" },
    });
  });
});
