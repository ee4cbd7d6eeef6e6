import { describe, expect, it } from "vitest";
import { BudgetExceededError } from "../../src/llm/errors.ts";
import { Ledger } from "../../src/llm/ledger.ts";
import type { Llm } from "../../src/llm/llm.ts";
import { MeteredLlm } from "../../src/llm/metered-llm.ts";
import { DEFAULT_PRICES } from "../../src/llm/prices.ts";
import { countTextTokens } from "../../src/llm/tokens.ts";
import { adapter, closeServersAfterEach, scripted, user } from "./helpers.ts";

closeServersAfterEach();

/** About 2 MB of plain words: some 400,000 tokens. */
const HUGE_ANSWER = "the endpoint keeps talking ".repeat(78_000);
const prices = { ...DEFAULT_PRICES, "scripted-model": { input: 2.5, output: 10 } };
const metered = (inner: Llm, ledger: Ledger) => new MeteredLlm(inner, ledger, () => "scripted-model");

/** Calls until the ledger refuses one; returns how many calls were answered. */
async function spendUntilRefused(llm: Llm, maxTokens: number): Promise<number> {
  for (let answered = 0; answered < 200; answered++) {
    try {
      await llm.complete({ stage: "repair.sample", messages: user("fix it"), maxTokens });
    } catch (error) {
      expect(error).toBeInstanceOf(BudgetExceededError);
      return answered;
    }
  }
  throw new Error("the ledger never refused a call");
}

describe("a reply bigger than its reservation, through the openai SDK adapter", () => {
  it("a 2 MB answer whose usage understates it is cut to max_tokens and booked at most at the reservation", async () => {
    const server = await scripted([
      { reply: { content: HUGE_ANSWER, usage: { promptTokens: 10, completionTokens: 5 } } },
    ]);
    const ledger = new Ledger({ maxTokens: 500_000, maxDollars: 2 }, prices);
    const completion = await metered(adapter(server.url), ledger).complete({
      stage: "repair.sample",
      messages: user("fix it"),
      maxTokens: 1_000,
    });
    expect(server.requests[0]?.maxTokens).toBe(1_000);
    expect(countTextTokens(completion.texts[0] ?? "")).toBeLessThanOrEqual(1_000);
    expect(HUGE_ANSWER.startsWith(completion.texts[0] ?? "-")).toBe(true);
    expect(completion.finishReasons).toEqual(["length"]);
    const report = ledger.report();
    // The reservation: the counted prompt plus 1,000 completion tokens.
    expect(report.spent.completionTokens).toBe(1_000);
    expect(report.spent.tokens).toBeLessThan(1_100);
    expect(report.notes.join("\n")).toMatch(/returned [\d,]+ tokens over the reservation; cut/);
  });

  it("a run answered with 2 MB and a usage of 3,982,685 tokens stays within 500,000 tokens and $2", async () => {
    const server = await scripted([
      { reply: { content: HUGE_ANSWER, usage: { promptTokens: 12, completionTokens: 3_982_673 } } },
    ]);
    const ledger = new Ledger({ maxTokens: 500_000, maxDollars: 2 }, prices);
    const answered = await spendUntilRefused(metered(adapter(server.url), ledger), 4_096);
    const report = ledger.report();
    expect(answered).toBeGreaterThan(0);
    expect(report.spent.tokens).toBeLessThanOrEqual(500_000);
    expect(report.spent.dollars).toBeLessThanOrEqual(2);
    expect(report.refused).toBe(1);
  }, 60_000);

  it("a 20,000-token ceiling never ends above 20,000 when every reply reports more than it reserved", async () => {
    const server = await scripted([
      { reply: { content: "x = 1", usage: { promptTokens: 40, completionTokens: 1_500 } } },
    ]);
    const ledger = new Ledger({ maxTokens: 20_000, maxDollars: 100 }, prices);
    const answered = await spendUntilRefused(metered(adapter(server.url), ledger), 1_000);
    const report = ledger.report();
    expect(answered).toBeGreaterThan(10);
    expect(report.spent.tokens).toBeLessThanOrEqual(20_000);
    expect(report.spent.tokens).toBeGreaterThan(20_000 - 1_100);
    expect(report.notes.length).toBe(answered);
  });

  it("the adapter sends max_tokens on every request, also when the caller set none", async () => {
    const server = await scripted([{ reply: { content: "ok" } }]);
    await adapter(server.url).complete({ stage: "localize.files", messages: user("q") });
    await adapter(server.url).complete({ stage: "localize.files", messages: user("q"), maxTokens: 77 });
    expect(server.requests.map((request) => request.maxTokens)).toEqual([4_096, 77]);
  });
});
