import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCodeIndex } from "../../src/code-index/build.ts";
import type { CodeIndex } from "../../src/code-index/code-index.ts";
import { ELEMENT_RANKING } from "../../src/localize/rank-elements.ts";
import { retrieve } from "../../src/localize/retrieve.ts";
import { removeTempDirs, tempDir, writeFiles } from "../code-index/fixture-repo.ts";

let index: CodeIndex;
beforeAll(async () => {
  const root = tempDir();
  writeFiles(root, {
    "shop/cart.py": [
      "class Cart:",
      "    limit = 10",
      "",
      "    def add_item(self, item):",
      "        self.items.append(item)",
      "",
      "    def checkout(self):",
      "        return sum(self.items)",
      "",
      "def helper():",
      "    return 1",
      "",
    ].join("\n"),
  });
  index = await buildCodeIndex({ root, parseWorkers: 0 });
});
afterAll(removeTempDirs);

describe("element ranking", () => {
  const issue = "Cart should refuse an item past its limit: add item appends items forever";
  const ranked = (memberShare: number) =>
    retrieve(index, issue, { elementFiles: 3, elementRanking: { ...ELEMENT_RANKING, memberShare } }).elements;

  it("lifts a class to a share of its best member (fixes often edit the class body)", () => {
    const lifted = ranked(0.5);
    const method = lifted.find((element) => element.qualifiedName === "Cart.add_item");
    const owner = lifted.find((element) => element.qualifiedName === "Cart");
    expect(owner?.score).toBeGreaterThanOrEqual((method?.score ?? 0) * 0.5);
    expect(owner?.reasons).toContain("members");
    expect(lifted.find((element) => element.qualifiedName === "helper")).toBeUndefined();
  });

  it("leaves classes alone when the share is 0", () => {
    const plain = ranked(0).find((element) => element.qualifiedName === "Cart");
    expect(plain?.reasons ?? []).not.toContain("members");
  });
});
