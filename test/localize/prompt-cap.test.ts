import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCodeIndex } from "../../src/code-index/build.ts";
import type { CodeIndex } from "../../src/code-index/code-index.ts";
import { configSchema } from "../../src/config/schema.ts";
import { countPromptTokens } from "../../src/llm/tokens.ts";
import { localize } from "../../src/localize/localize.ts";
import type { LocalizationBudget } from "../../src/localize/types.ts";
import { copyFixture, removeTempDirs } from "../code-index/fixture-repo.ts";
// A fake model that records every prompt: no model is reachable here.
import { FakeLlm } from "../fakes/fake-llm.ts";

let shop: CodeIndex;
const defaults: LocalizationBudget = configSchema.parse({}).localization;

/** About 1 MB of issue text: a log pasted into the issue, with the real report at its start. */
function hugeIssue(): { title: string; body: string } {
  const report =
    "Adding 3 items at once to a cart holding 99 items succeeds; `add_item` only checks before adding.";
  const line = "2026-01-01T00:00:00Z DEBUG shop.cart Cart.add_item quantity=3 count=99 MAX_ITEMS=100 ok\n";
  return {
    title: "Cart.add_item accepts more items than MAX_ITEMS",
    body: `${report}\n\n${line.repeat(11_500)}`,
  };
}

beforeAll(async () => {
  shop = await buildCodeIndex({ root: copyFixture("py-shop"), parseWorkers: 0 });
});
afterAll(removeTempDirs);

describe("a 1 MB issue under localization.maxPromptTokens", () => {
  it("keeps every localization prompt within the cap, the issue cut with a visible notice", async () => {
    const issue = hugeIssue();
    expect(issue.body.length).toBeGreaterThan(1_000_000);
    const llm = new FakeLlm()
      .queue("localize.files", "```\nshop/cart.py\n```")
      .queue("localize.elements", "```\nshop/cart.py::Cart.add_item\n```")
      .queue("localize.lines", "```\nshop/cart.py:21-24\n```");
    const budget = { ...defaults, maxPromptTokens: 32_000 };
    const result = await localize({ issue, index: shop, budget, llm });
    expect(llm.calls.map((call) => call.stage)).toEqual([
      "localize.files",
      "localize.elements",
      "localize.lines",
    ]);
    for (const call of llm.calls) {
      expect(countPromptTokens(call.messages)).toBeLessThanOrEqual(budget.maxPromptTokens);
      const prompt = call.messages.map((message) => message.content).join("\n");
      expect(prompt).toMatch(/\[… issue text cut: [\d,]+ of [\d,]+ tokens shown\]/);
      expect(prompt).toContain("only checks before adding");
    }
    expect(result.files[0]?.path).toBe("shop/cart.py");
    expect(result.stages.every((stage) => stage.usedModel)).toBe(true);
  }, 60_000);

  it("holds a small cap too: every prompt within 2,000 tokens", async () => {
    const llm = new FakeLlm().on({}, "```\nshop/cart.py\n```");
    const budget = { ...defaults, maxPromptTokens: 2_000 };
    await localize({ issue: hugeIssue(), index: shop, budget, llm });
    expect(llm.calls.length).toBeGreaterThan(0);
    for (const call of llm.calls) expect(countPromptTokens(call.messages)).toBeLessThanOrEqual(2_000);
  }, 60_000);
});
