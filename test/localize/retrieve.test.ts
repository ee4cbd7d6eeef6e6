import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCodeIndex } from "../../src/code-index/build.ts";
import type { CodeIndex } from "../../src/code-index/code-index.ts";
import { identifierTerms, pathTerms } from "../../src/code-index/tokenize.ts";
import { issueSignals, TERM_WEIGHTS } from "../../src/localize/issue-signals.ts";
import { FILE_RANKING } from "../../src/localize/rank-files.ts";
import { retrieve } from "../../src/localize/retrieve.ts";
import { copyFixture, removeTempDirs } from "../code-index/fixture-repo.ts";

let shop: CodeIndex;
let app: CodeIndex;

beforeAll(async () => {
  shop = await buildCodeIndex({ root: copyFixture("py-shop"), parseWorkers: 0 });
  app = await buildCodeIndex({ root: copyFixture("js-app"), parseWorkers: 0 });
});
afterAll(removeTempDirs);

const topFiles = (index: CodeIndex, text: string, k = 3) =>
  retrieve(index, text, { elementFiles: 3 })
    .files.slice(0, k)
    .map((file) => file.path);

describe("code-aware tokenization", () => {
  it("keeps identifiers whole and splits camelCase, snake_case, paths and dotted names", () => {
    expect(identifierTerms("getUserName")).toEqual(["getusername", "get", "user", "name"]);
    expect(identifierTerms("apply_discount")).toEqual(["apply_discount", "apply", "discount"]);
    expect(identifierTerms("HTTPServer")).toEqual(["httpserver", "http", "server"]);
    expect(pathTerms("lib/router/index.js")).toEqual(["lib", "router", "index", "js"]);
    expect(issueSignals("call `Cart.add_item()` please").dottedNames).toEqual(["Cart.add_item"]);
  });
});

describe("issue signals", () => {
  it("finds Python and JavaScript stack frames and GitHub line links", () => {
    const text = [
      "Traceback (most recent call last):",
      '  File "/usr/lib/python3.11/site-packages/shop/cart.py", line 23, in add_item',
      '    raise ValueError("cart is full")',
      "ValueError: cart is full",
      "    at Layer.handle (/srv/app/node_modules/x/lib/router.js:14:5)",
      "see https://github.com/acme/shop/blob/main/shop/pricing.py#L12",
    ].join("\n");
    expect(issueSignals(text).frames).toEqual([
      { path: "/usr/lib/python3.11/site-packages/shop/cart.py", line: 23, functionName: "add_item" },
      { path: "/srv/app/node_modules/x/lib/router.js", line: 14, functionName: "Layer.handle" },
      { path: "shop/pricing.py", line: 12, functionName: undefined },
    ]);
  });
});

describe("issue noise and emphasis", () => {
  const weightOf = (text: string, term: string, weighting = TERM_WEIGHTS) =>
    issueSignals(text, weighting).terms.find((entry) => entry.term === term)?.weight;

  it("leaves out environment reports (versions, OS, pip freeze) when asked", () => {
    const issue = [
      "Cart total is wrong with a discount",
      "**Environment**",
      "- OS: Linux",
      "- Python version: 3.8.5",
      "numpy==1.21.0",
      "pluggy==0.13.1",
    ].join("\n");
    const kept = { ...TERM_WEIGHTS, dropEnvironment: false };
    const dropped = { ...TERM_WEIGHTS, dropEnvironment: true };
    expect(weightOf(issue, "pluggy", kept)).toBeGreaterThan(0);
    expect(weightOf(issue, "linux", kept)).toBeGreaterThan(0);
    expect(weightOf(issue, "pluggy", dropped)).toBeUndefined();
    expect(weightOf(issue, "linux", dropped)).toBeUndefined();
    expect(weightOf(issue, "discount", dropped)).toBeGreaterThan(0);
  });

  it("weighs the words of the title (the first line) more than the same words in the body", () => {
    const titled = "Discount ignored\nThe cart total is wrong.";
    const untitled = "Something is off\nThe discount is ignored and the cart total is wrong.";
    const weighting = { ...TERM_WEIGHTS, title: 1 };
    expect(weightOf(titled, "discount", weighting)).toBeGreaterThan(
      weightOf(untitled, "discount", weighting) ?? 0,
    );
  });

  it("counts a file whose name is a word of the issue", () => {
    const params = { ...FILE_RANKING, stem: 0.3, nameMaxShare: 1 };
    const result = retrieve(shop, "The pricing of members looks odd", {
      elementFiles: 3,
      fileRanking: params,
    });
    const pricing = result.files.find((file) => file.path === "shop/pricing.py");
    expect(pricing?.reasons).toContain("file name");
    const common = { ...params, nameMaxShare: 0 };
    const strict = retrieve(shop, "The pricing of members looks odd", {
      elementFiles: 3,
      fileRanking: common,
    });
    expect(strict.files.find((file) => file.path === "shop/pricing.py")?.reasons).not.toContain("file name");
  });
});

describe("retrieval", () => {
  it("ranks the file of a stack trace's frame first, ahead of files that merely share words", () => {
    const issue = [
      "Adding items fails when the pricing discount is applied",
      "Traceback (most recent call last):",
      '  File "/home/me/venv/lib/python3.11/site-packages/shop/cart.py", line 23, in add_item',
      "ValueError: cart is full",
      "The pricing discount pricing discount documentation says otherwise.",
    ].join("\n");
    expect(topFiles(shop, issue, 1)).toEqual(["shop/cart.py"]);
    const result = retrieve(shop, issue, { elementFiles: 3 });
    expect(result.elements[0]).toMatchObject({ path: "shop/cart.py", qualifiedName: "Cart.add_item" });
  });

  it("ranks a JavaScript frame's file first", () => {
    const issue =
      "TypeError: cannot read property 'length'\n    at appendMethods (/app/lib/router.js:27:30)\n    at send";
    expect(topFiles(app, issue, 1)).toEqual(["lib/router.js"]);
    expect(retrieve(app, issue, { elementFiles: 3 }).elements[0]?.qualifiedName).toBe("appendMethods");
  });

  it("uses the names an issue writes as code to find where they are defined", () => {
    expect(topFiles(app, "`res.json()` sends the wrong content type", 1)).toEqual(["lib/response.js"]);
    expect(topFiles(shop, "parse_price crashes on prices without a currency", 1)).toEqual([
      "shop/pricing.py",
    ]);
  });

  it("ranks tests below the source they test", () => {
    const issue = "with owner ann and a pen, the cart total is wrong";
    const byText = shop.searchFiles(issueSignals(issue).terms).map((hit) => hit.file.path);
    expect(byText[0]).toBe("tests/test_cart.py");
    expect(topFiles(shop, issue, 2)).toEqual(["shop/cart.py", "tests/test_cart.py"]);
  });

  it("says so when the issue names files that do not exist, and still ranks", () => {
    const result = retrieve(
      shop,
      "Crash in shop/checkout.py and in payments.py when the cart total is zero",
      { elementFiles: 3 },
    );
    expect(result.notices.join(" ")).toMatch(/not in the repository: shop\/checkout\.py, payments\.py/);
    expect(result.files[0]?.path).toBe("shop/cart.py");
  });

  it("handles an empty and a one-word issue without failing", () => {
    const empty = retrieve(shop, "", { elementFiles: 3 });
    expect(empty.files).toEqual([]);
    expect(empty.elements).toEqual([]);
    expect(empty.notices.join(" ")).toMatch(/no words/);
    const one = retrieve(shop, "discount", { elementFiles: 3 });
    expect(one.notices.join(" ")).toMatch(/very short/);
    expect(one.files[0]?.path).toBe("shop/pricing.py");
  });

  it("falls back to path and text retrieval in a repository with no supported language", async () => {
    const notes = await buildCodeIndex({ root: copyFixture("text-only"), parseWorkers: 0 });
    const result = retrieve(notes, "The network timeout in config.yaml is ignored", { elementFiles: 3 });
    expect(result.notices.join(" ")).toMatch(/No file in a supported language/);
    expect(result.files[0]?.path).toBe("notes/config.yaml");
    expect(result.elements).toEqual([]);
  });
});
