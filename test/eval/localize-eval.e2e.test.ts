import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import { configSchema } from "../../src/config/schema.ts";
import { readDataset } from "../../src/eval/dataset.ts";
import { evaluateLocalization } from "../../src/eval/localize-eval.ts";
import { formatTable, summarize } from "../../src/eval/report.ts";
import { GitWorkspace } from "../../src/workspace/git-workspace.ts";
import { commitAll, copyFixture, removeTempDirs, tempDir } from "../code-index/fixture-repo.ts";

afterAll(removeTempDirs);

const PATCH = `diff --git a/shop/cart.py b/shop/cart.py
--- a/shop/cart.py
+++ b/shop/cart.py
@@ -21,3 +21,3 @@ class Cart:
     def add_item(self, name, price, quantity=1):
-        if len(self.items) >= MAX_ITEMS:
+        if len(self.items) + quantity > MAX_ITEMS:
             raise ValueError("cart is full")
`;

describe("eval localize", () => {
  it("evaluates instances whose repository is present, skips and counts the rest, and reports every key", async () => {
    const repo = copyFixture("py-shop");
    const commit = commitAll(repo);
    const repos = tempDir();
    mkdirSync(join(repos, "acme"), { recursive: true });
    symlinkSync(repo, join(repos, "acme", "shop"));
    const dataset = join(tempDir(), "dev.jsonl");
    const line = (id: string, repoName: string, base: string) =>
      JSON.stringify({
        instance_id: id,
        repo: repoName,
        base_commit: base,
        problem_statement: "Cart.add_item lets the cart grow past MAX_ITEMS when quantity > 1.",
        patch: PATCH,
      });
    writeFileSync(
      dataset,
      [
        line("shop-1", "acme/shop", commit),
        line("gone-1", "acme/gone", commit),
        line("shop-2", "acme/shop", "f".repeat(40)),
      ].join("\n"),
    );
    const cacheRoot = tempDir();
    const results = await evaluateLocalization({
      instances: readDataset(dataset),
      reposDir: repos,
      workspace: new GitWorkspace({ cacheRoot }),
      cacheRoot,
      budget: configSchema.parse({}).localization,
      registry: new LanguageRegistry(),
    });
    const report = summarize(results, { dataset, command: "test", usedModel: false });
    expect(report).toMatchObject({
      evaluated: 1,
      skipped: 2,
      skipped_reasons: { "repository absent": 1, "base commit not found": 1 },
      file_acc_at_1: 1,
      file_acc_at_3: 1,
      file_acc_at_5: 1,
      function_recall: 1,
      line_coverage: 1,
    });
    expect(report.prompt_tokens_median).toBeGreaterThan(0);
    expect(report.seconds_median).toBeGreaterThan(0);
    expect(Object.keys(report.baseline)).toEqual(["file_acc_at_1", "file_acc_at_3", "file_acc_at_5"]);
    expect(report.by_language.python?.evaluated).toBe(1);
    const evaluated = report.instances.find((instance) => instance.instance_id === "shop-1");
    expect(evaluated).toMatchObject({
      gold_files: ["shop/cart.py"],
      gold_elements: ["shop/cart.py::Cart.add_item"],
    });
    expect(formatTable(report)).toMatch(/1 evaluated, 2 skipped/);
  });

  it("rejects a malformed dataset line with its line number", () => {
    const dataset = join(tempDir(), "bad.jsonl");
    writeFileSync(
      dataset,
      `${JSON.stringify({ instance_id: "x", repo: "no-slash", base_commit: "abcd", problem_statement: "", patch: "" })}\n`,
    );
    expect(() => readDataset(dataset)).toThrow(/bad\.jsonl:1: repo/);
    writeFileSync(dataset, "{not json\n");
    expect(() => readDataset(dataset)).toThrow(/bad\.jsonl:1: not valid JSON/);
    expect(readFileSync(dataset, "utf8")).toContain("not json");
  });
});
