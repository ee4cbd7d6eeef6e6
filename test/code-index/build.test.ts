import { afterAll, describe, expect, it } from "vitest";
import { buildCodeIndex } from "../../src/code-index/build.ts";
import { addFilesToSkip, copyFixture, removeTempDirs, tempDir } from "./fixture-repo.ts";

afterAll(removeTempDirs);

describe("buildCodeIndex", () => {
  it("indexes the supported files and says why it skipped the others", async () => {
    const root = copyFixture("py-shop");
    addFilesToSkip(root, tempDir());
    const index = await buildCodeIndex({ root, parseWorkers: 0 });
    const skipped = Object.fromEntries(index.skipped.map((skip) => [skip.path, skip.reason]));
    expect(skipped).toMatchObject({
      "build/": "gitignored",
      "debug.log": "gitignored",
      "big_table.py": "oversize",
      "logo.png": "binary",
      "data.bin.py": "binary",
      "latin1.py": "not-utf8",
      "vendor/left_pad.py": "vendored",
      "static/app.min.js": "generated",
      "shop/schema_pb2.py": "generated",
      "shop/autogen.py": "generated",
      "shop/linked.py": "symlink",
      outside_dir: "symlink",
    });
    const paths = index.files.map((file) => file.path);
    expect(paths).toEqual([
      ".gitignore",
      "docs/index.md",
      "shop/__init__.py",
      "shop/broken.py",
      "shop/cart.py",
      "shop/pricing.py",
      "tests/test_cart.py",
    ]);
    expect(index.file("tests/test_cart.py")?.role).toBe("test");
    expect(index.file("docs/index.md")).toMatchObject({ role: "docs", language: undefined, elements: [] });
    expect(index.file("shop/broken.py")?.hasSyntaxErrors).toBe(true);
    expect(index.languages).toEqual(["python"]);
    expect(index.searchFiles([{ term: "secret", weight: 1 }])).toEqual([]);
  });

  it("flags minified code that has no telltale name", async () => {
    const root = tempDir();
    const { writeFiles } = await import("./fixture-repo.ts");
    writeFiles(root, {
      "bundle.js": `var a=1;${"function f(){return 1};".repeat(400)}`,
      "ok.js": "function ok() {}\n",
    });
    const index = await buildCodeIndex({ root, parseWorkers: 0 });
    expect(index.skipped).toContainEqual({ path: "bundle.js", reason: "minified" });
    expect(index.files.map((file) => file.path)).toEqual(["ok.js"]);
  });

  it("parses a blob once: the second build reads every parse from the cache, and an identity loads the whole index", async () => {
    const root = copyFixture("js-app");
    const cacheRoot = tempDir();
    const first = await buildCodeIndex({ root, cacheRoot, parseWorkers: 0 });
    expect(first.stats.parseCacheMisses).toBe(first.stats.parsedFiles);
    expect(first.stats.parseCacheHits).toBe(0);
    const second = await buildCodeIndex({ root, cacheRoot, parseWorkers: 0 });
    expect(second.stats.parseCacheHits).toBe(second.stats.parsedFiles);
    expect(second.stats.parseCacheMisses).toBe(0);
    expect(second.files).toEqual(first.files);

    const withIdentity = await buildCodeIndex({ root, cacheRoot, identity: "js-app@1", parseWorkers: 0 });
    expect(withIdentity.stats.fromCache).toBe(false);
    const warm = await buildCodeIndex({ root, cacheRoot, identity: "js-app@1", parseWorkers: 0 });
    expect(warm.stats.fromCache).toBe(true);
    expect(warm.files).toEqual(first.files);
    const terms = [{ term: "send", weight: 1 }];
    expect(warm.searchFiles(terms).map((hit) => hit.file.path)).toEqual(
      first.searchFiles(terms).map((hit) => hit.file.path),
    );
    expect(await warm.skeleton("lib/response.js")).toBe(await first.skeleton("lib/response.js"));
  });

  it("parses on worker threads the same as in process", async () => {
    const root = copyFixture("py-shop");
    const inProcess = await buildCodeIndex({ root, parseWorkers: 0 });
    const pooled = await buildCodeIndex({ root, parseWorkers: 2 });
    expect(pooled.files).toEqual(inProcess.files);
  });

  it("falls back to path and text search in a repository without supported languages", async () => {
    const root = copyFixture("text-only");
    const index = await buildCodeIndex({ root, parseWorkers: 0 });
    expect(index.languages).toEqual([]);
    expect(index.files.every((file) => file.elements.length === 0 && file.role !== "source")).toBe(true);
    const hits = index.searchFiles([
      { term: "timeout", weight: 1 },
      { term: "network", weight: 1 },
    ]);
    expect(hits.map((hit) => hit.file.path)).toContain("notes/config.yaml");
  });
});
