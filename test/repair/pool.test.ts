import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import { buildPool } from "../../src/repair/pool.ts";
import { protectedPathMatcher } from "../../src/repair/protected.ts";
import { answer, FIXTURES, loadRepo } from "./fixture-repo.ts";

describe("buildPool", () => {
  it("prepares every JS answer, counts refusals and the test runs grouping saves", async () => {
    const names = readdirSync(join(FIXTURES, "js", "answers")).map((file) => file.replace(/\.md$/, ""));
    const answers = names.sort().map((id) => ({ id, text: answer("js", id) }));
    const pool = await buildPool(answers, {
      registry: new LanguageRegistry(),
      original: loadRepo("js"),
      isProtected: protectedPathMatcher([]),
    });
    expect(pool.candidates).toHaveLength(6);
    expect(pool.refused).toEqual({ edits_failed: 1, syntax_error: 1, malformed: 1 });
    expect(pool.groups.map((group) => group.members)).toEqual([["right", "right-reformatted"], ["wrong"]]);
    expect(pool.testRunsSaved).toBe(1);
  });
});
