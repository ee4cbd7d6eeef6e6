import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCodeIndex } from "../../src/code-index/build.ts";
import type { CodeIndex } from "../../src/code-index/code-index.ts";
import { configSchema } from "../../src/config/schema.ts";
import { countPromptTokens } from "../../src/llm/tokens.ts";
import { localize } from "../../src/localize/localize.ts";
import { renderRepoTree } from "../../src/localize/repo-tree.ts";
import type { LocalizationBudget } from "../../src/localize/types.ts";
import { copyFixture, removeTempDirs } from "../code-index/fixture-repo.ts";
// A fake model: no model is reachable here. The stages only see the Llm interface.
import { FakeLlm } from "../fakes/fake-llm.ts";

let shop: CodeIndex;
const defaults: LocalizationBudget = configSchema.parse({}).localization;
const issue = {
  title: "Cart.add_item accepts more items than MAX_ITEMS",
  body: "Adding 3 items at once to a cart holding 99 items succeeds; `add_item` only checks the count before adding.",
};

beforeAll(async () => {
  shop = await buildCodeIndex({ root: copyFixture("py-shop"), parseWorkers: 0 });
});
afterAll(removeTempDirs);

describe("localize without a model", () => {
  it("falls back to retrieval at every stage and reports what each prompt would cost", async () => {
    const result = await localize({ issue, index: shop, budget: defaults });
    expect(result.files.map((file) => file.path)[0]).toBe("shop/cart.py");
    expect(result.files.length).toBeLessThanOrEqual(defaults.maxFiles);
    expect(result.elements[0]).toMatchObject({ path: "shop/cart.py", qualifiedName: "Cart.add_item" });
    expect(result.elements.length).toBeLessThanOrEqual(defaults.maxElements);
    expect(result.locationSets).toHaveLength(1);
    expect(result.locationSets[0]?.length).toBeLessThanOrEqual(defaults.maxEditLocations);
    expect(result.windows[0]).toMatchObject({ path: "shop/cart.py" });
    for (const stage of result.stages) {
      expect(stage).toMatchObject({ usedModel: false, calls: 0, completionTokens: 0 });
      expect(stage.promptTokens).toBeGreaterThan(50);
    }
  });
});

describe("localize with a model", () => {
  it("keeps real answers, corrects near misses, drops inventions, and samples several location sets", async () => {
    const llm = new FakeLlm()
      .queue("localize.files", "```\nshop/checkout.py\ncart.py\nshop/pricing.py\n```")
      .queue(
        "localize.elements",
        "```\nshop/cart.py::Cart.add_itm\nshop/cart.py::Nope.nothing\nshop/pricing.py::apply_discount\n```",
      )
      .queue("localize.lines", (request) => {
        expect(request.n).toBe(2);
        return ["```\nshop/cart.py:21-24\n```", "```\nshop/nowhere.py:3\n```"];
      });
    const budget = { ...defaults, locationSets: 2 };
    const result = await localize({ issue, index: shop, budget, llm });
    const files = result.stages[0];
    expect(files?.dropped).toEqual(["shop/checkout.py"]);
    expect(files?.corrected).toEqual([{ answer: "cart.py", matched: "shop/cart.py" }]);
    expect(result.files.map((file) => file.path).slice(0, 2)).toEqual(["shop/cart.py", "shop/pricing.py"]);
    const elements = result.stages[1];
    expect(elements?.corrected).toEqual([
      { answer: "shop/cart.py::Cart.add_itm", matched: "shop/cart.py::Cart.add_item" },
    ]);
    expect(elements?.dropped).toEqual(["shop/cart.py::Nope.nothing"]);
    expect(result.elements.slice(0, 2).map((e) => `${e.path}::${e.qualifiedName}`)).toEqual([
      "shop/cart.py::Cart.add_item",
      "shop/pricing.py::apply_discount",
    ]);
    expect(result.locationSets[0]).toEqual([{ path: "shop/cart.py", startLine: 21, endLine: 24 }]);
    expect(result.locationSets[1]?.length).toBeGreaterThan(0); // the invented file fell back to retrieval
    expect(result.stages[2]?.dropped).toEqual(["shop/nowhere.py:3"]);
    const cartWindow = result.windows.find((window) => window.path === "shop/cart.py");
    expect(
      cartWindow &&
        cartWindow.startLine <= 21 - defaults.contextLines &&
        cartWindow.endLine >= 24 + defaults.contextLines,
    ).toBe(true);
    for (const stage of result.stages) expect(stage).toMatchObject({ usedModel: true, calls: 1 });
    expect(llm.calls[0]?.messages.at(-1)?.content).toContain("### Issue");
    expect(llm.calls[0]?.messages.at(-1)?.content).toContain("shop/");
  });

  it("keeps every prompt within maxPromptTokens", async () => {
    const llm = new FakeLlm().on({}, "```\nshop/cart.py\n```");
    const budget = { ...defaults, maxPromptTokens: 1_000 };
    await localize({ issue, index: shop, budget, llm });
    expect(llm.calls).toHaveLength(3);
    for (const call of llm.calls) expect(countPromptTokens(call.messages)).toBeLessThanOrEqual(1_000);
  });

  it("notes a failed model call and falls back to retrieval", async () => {
    const llm = new FakeLlm().on({}, new Error("endpoint down"));
    const result = await localize({ issue, index: shop, budget: defaults, llm });
    expect(result.files[0]?.path).toBe("shop/cart.py");
    expect(result.stages[0]?.notes.join(" ")).toMatch(/model call failed.*endpoint down/);
    expect(result.stages.every((stage) => !stage.usedModel)).toBe(true);
  });
});

describe("repository tree", () => {
  it("expands the folders retrieval points at and collapses the rest to fit the budget", () => {
    const paths = [
      ...Array.from({ length: 300 }, (_, i) => `pkg/generated/module_${i}.py`),
      "pkg/core/expr.py",
      "pkg/core/basic.py",
      "docs/guide.md",
    ];
    const tree = renderRepoTree(paths, new Map([["pkg/core/expr.py", 1]]), 60);
    expect(tree).toContain("        expr.py");
    expect(tree).toContain("generated/ (300 files)");
    expect(tree).not.toContain("module_1.py");
    expect(renderRepoTree(paths, new Map(), 100_000)).toContain("module_299.py");
  });
});
