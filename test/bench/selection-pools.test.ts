// The selection benchmark's scripted pools (bench/selection), checked without Docker on a small
// hand-written bug: gold and its reformatted twins must share one group, every wrong variant must be
// a group of its own, and malformed answers must be refused for the reason they were built with.
import { describe, expect, it } from "vitest";
import { hasFailToPassEvidence } from "../../bench/selection/evaluate.ts";
import { hunkEdit, parseHunks } from "../../bench/selection/hunks.ts";
import { buildBugPools } from "../../bench/selection/pools.ts";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import { buildPool } from "../../src/repair/pool.ts";

const ORIGINAL = `'use strict';

function appendAll(list, addition) {
  for (var i = 0; i < addition.length; i++) {
    list.push(addition[i]);
  }
  return list;
}

function allowHeader(methods) {
  return methods.join(',');
}

module.exports = { appendAll, allowHeader };
`;

const PATCH = `diff --git a/lib/methods.js b/lib/methods.js
--- a/lib/methods.js
+++ b/lib/methods.js
@@ -3,7 +3,9 @@
 function appendAll(list, addition) {
   for (var i = 0; i < addition.length; i++) {
-    list.push(addition[i]);
+    if (list.indexOf(addition[i]) === -1) {
+      list.push(addition[i]);
+    }
   }
   return list;
 }
`;

const files = new Map([["lib/methods.js", ORIGINAL]]);
const gold = parseHunks(PATCH).map((hunk) => hunkEdit(hunk, ORIGINAL));
const context = { registry: new LanguageRegistry(), original: files, isProtected: () => false };

describe("selection bench pools", () => {
  it("turns the gold patch into an edit that applies", () => {
    expect(gold).toHaveLength(1);
    expect(gold[0]?.search).toContain("list.push(addition[i]);");
    expect(gold[0]?.replace).toContain("if (list.indexOf(addition[i]) === -1) {");
  });

  it("extends a hunk's context until its SEARCH is unique in the file", () => {
    const text = "a\nx\nb\nc\nx\nd\n";
    const [hunk] = parseHunks("+++ b/f.js\n@@ -2,1 +2,1 @@\n-x\n+y\n");
    if (!hunk) throw new Error("no hunk");
    expect(hunkEdit(hunk, text)).toEqual({ path: "f.js", search: "a\nx\nb", replace: "a\ny\nb" });
  });

  it("groups gold with its reformatted twins and keeps every wrong variant apart", async () => {
    const pools = buildBugPools(gold, files);
    expect(pools.wrongKinds).toEqual(["wrong-inverted", "wrong-off-by-one", "wrong-function"]);
    const pool = await buildPool(pools.withGold, context);
    const groupOf = (id: string) => pool.groups.find((group) => group.members.includes(id))?.key;
    expect(groupOf("gold~1")).toBe(groupOf("gold"));
    expect(groupOf("gold~2")).toBe(groupOf("gold"));
    for (const kind of pools.wrongKinds) {
      expect(groupOf(kind)).toBeDefined();
      expect(groupOf(kind)).not.toBe(groupOf("gold"));
      expect(groupOf(`${kind}~1`)).toBe(groupOf(kind));
    }
    // The first wrong variant out-votes gold: only test evidence can pick gold.
    expect(pool.groups[0]?.members).toEqual([
      "wrong-inverted",
      "wrong-inverted~1",
      "wrong-inverted~2",
      "wrong-inverted~3",
    ]);
    const refusal = (id: string) => pool.candidates.find((c) => c.id === id && c.status === "refused");
    expect(refusal("truncated")).toMatchObject({ refusal: "malformed" });
    expect(refusal("no-edits")).toMatchObject({ refusal: "empty" });
    expect(refusal("not-applying")).toMatchObject({ refusal: "edits_failed" });
  });

  it("leaves every form of gold out of the pool without gold", () => {
    const pools = buildBugPools(gold, files);
    const kinds = pools.withoutGold.map((answer) => answer.kind);
    expect(kinds).not.toContain("gold");
    expect(kinds).not.toContain("gold-reformatted");
    expect(kinds).toContain("wrong-reformatted");
  });
});

describe("selection bench evidence check", () => {
  const kept = ["t > fixed"];
  const group = (
    before: "failed" | "passed",
    after: "passed" | "failed",
    regressionAfter: "passed" | "failed",
  ) => ({
    key: "k",
    votes: 1,
    diffSize: 1,
    reproduction: [{ id: "t > fixed", before, after }],
    regression: [{ id: "t > old", before: "passed" as const, after: regressionAfter }],
  });

  it("accepts only fail→pass on every kept test with no regression", () => {
    expect(hasFailToPassEvidence(group("failed", "passed", "passed"), kept)).toBe(true);
    expect(hasFailToPassEvidence(group("passed", "passed", "passed"), kept)).toBe(false);
    expect(hasFailToPassEvidence(group("failed", "failed", "passed"), kept)).toBe(false);
    expect(hasFailToPassEvidence(group("failed", "passed", "failed"), kept)).toBe(false);
    expect(hasFailToPassEvidence(group("failed", "passed", "passed"), [])).toBe(false);
  });
});
