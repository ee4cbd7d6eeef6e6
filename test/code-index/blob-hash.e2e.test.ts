import { afterAll, describe, expect, it } from "vitest";
import { buildCodeIndex } from "../../src/code-index/build.ts";
import { commitAll, copyFixture, git, removeTempDirs } from "./fixture-repo.ts";

afterAll(removeTempDirs);

// git (a process) is the judge here; the rest of buildCodeIndex is tested in build.test.ts.
describe("buildCodeIndex", () => {
  it("hashes content like git does", async () => {
    const root = copyFixture("py-shop");
    commitAll(root);
    const index = await buildCodeIndex({ root, parseWorkers: 0 });
    expect(index.file("shop/cart.py")?.blob).toBe(git(root, "rev-parse", "HEAD:shop/cart.py"));
  });
});
