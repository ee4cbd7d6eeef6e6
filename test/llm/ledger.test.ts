import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AutofixError } from "../../src/errors.ts";
import { BudgetExceededError } from "../../src/llm/errors.ts";
import { Ledger } from "../../src/llm/ledger.ts";
import { MeteredLlm } from "../../src/llm/metered-llm.ts";
import { DEFAULT_PRICES, loadPriceTable, priceFor } from "../../src/llm/prices.ts";
import { FakeLlm } from "../fakes/fake-llm.ts";

const prices = { ...DEFAULT_PRICES, cheap: { input: 1, output: 2 } };

describe("Ledger", () => {
  it("settles actual usage per stage and releases the rest of the reservation", () => {
    const ledger = new Ledger({ maxTokens: 10_000, maxDollars: 1 }, prices);
    const reservation = ledger.reserve({
      stage: "localize.files",
      model: "cheap",
      promptTokens: 1_000,
      maxCompletionTokens: 2_000,
    });
    expect(ledger.report().reserved).toEqual({ tokens: 3_000, dollars: (1_000 * 1 + 2_000 * 2) / 1e6 });
    ledger.settle(reservation, "cheap", { promptTokens: 900, completionTokens: 100 });
    const report = ledger.report();
    expect(report.reserved).toEqual({ tokens: 0, dollars: 0 });
    expect(report.spent).toEqual({
      promptTokens: 900,
      completionTokens: 100,
      tokens: 1_000,
      dollars: 0.0011,
    });
    expect(report.stages).toEqual([
      { stage: "localize.files", calls: 1, promptTokens: 900, completionTokens: 100, dollars: 0.0011 },
    ]);
    expect(report.refused).toBe(0);
  });

  it("refuses a call whose worst case crosses the token ceiling and says which ceiling", () => {
    const ledger = new Ledger({ maxTokens: 5_000, maxDollars: 100 }, prices);
    ledger.settle(
      ledger.reserve({ stage: "a", model: "cheap", promptTokens: 3_000, maxCompletionTokens: 0 }),
      "cheap",
      {
        promptTokens: 3_000,
        completionTokens: 0,
      },
    );
    let refused: unknown;
    try {
      ledger.reserve({
        stage: "repair.sample",
        model: "cheap",
        promptTokens: 1_000,
        maxCompletionTokens: 1_500,
      });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(BudgetExceededError);
    const error = refused as BudgetExceededError;
    expect(error.ceiling).toBe("tokens");
    expect(error.context).toMatchObject({
      stage: "repair.sample",
      needed: 2_500,
      remaining: 2_000,
      limit: 5_000,
    });
    expect(error.message).toContain("limits.maxTokensPerRun");
    expect(ledger.report().refused).toBe(1);
  });

  it("refuses on the dollar ceiling at the model's price", () => {
    const ledger = new Ledger({ maxTokens: 10_000_000, maxDollars: 0.01 }, prices);
    // gpt-4o at 2.5 / 10 dollars per million: 1,000 out × 10 = $0.01 plus the prompt → over.
    expect(() =>
      ledger.reserve({
        stage: "repair",
        model: "gpt-4o-2024-08-06",
        promptTokens: 100,
        maxCompletionTokens: 1_000,
      }),
    ).toThrow(/limits\.maxDollarsPerRun/);
    expect(() =>
      ledger.reserve({ stage: "repair", model: "cheap", promptTokens: 100, maxCompletionTokens: 1_000 }),
    ).not.toThrow();
  });

  it("counts reservations of calls in flight, so concurrent calls cannot share the last of the budget", () => {
    const ledger = new Ledger({ maxTokens: 1_000, maxDollars: 100 }, prices);
    const first = ledger.reserve({ stage: "s", model: "cheap", promptTokens: 300, maxCompletionTokens: 300 });
    expect(() =>
      ledger.reserve({ stage: "s", model: "cheap", promptTokens: 300, maxCompletionTokens: 300 }),
    ).toThrow(BudgetExceededError);
    ledger.release(first);
    expect(() =>
      ledger.reserve({ stage: "s", model: "cheap", promptTokens: 300, maxCompletionTokens: 300 }),
    ).not.toThrow();
  });
});

describe("MeteredLlm", () => {
  it("does not call the model when the call is refused, and bounds maxTokens when the caller set none", async () => {
    const fake = new FakeLlm([{ reply: "ok" }], { model: "cheap" });
    const ledger = new Ledger({ maxTokens: 5_000, maxDollars: 1 }, prices);
    const llm = new MeteredLlm(fake, ledger, () => "cheap");
    await llm.complete({
      stage: "localize.files",
      messages: [{ role: "user", content: "hi" }],
      maxTokens: 100,
    });
    await expect(
      llm.complete({ stage: "repair.sample", messages: [{ role: "user", content: "hi" }], n: 10 }),
    ).rejects.toBeInstanceOf(BudgetExceededError);
    expect(fake.calls).toHaveLength(1);
    const report = ledger.report();
    expect(report.refused).toBe(1);
    expect(report.stages.map((row) => row.stage)).toEqual(["localize.files"]);
    expect(report.spent.tokens).toBeGreaterThan(0);
  });

  it("releases the reservation when the call fails", async () => {
    const ledger = new Ledger({ maxTokens: 5_000, maxDollars: 1 }, prices);
    const llm = new MeteredLlm(new FakeLlm([{ reply: new Error("boom") }]), ledger, () => "cheap");
    await expect(
      llm.complete({ stage: "s", messages: [{ role: "user", content: "x" }], maxTokens: 10 }),
    ).rejects.toThrow("boom");
    expect(ledger.report().reserved).toEqual({ tokens: 0, dollars: 0 });
    expect(ledger.report().spent.tokens).toBe(0);
  });
});

describe("price table", () => {
  it("matches the longest model-name prefix, else the default", () => {
    expect(priceFor(DEFAULT_PRICES, "gpt-4o-mini-2024-07-18")).toEqual(DEFAULT_PRICES["gpt-4o-mini"]);
    expect(priceFor(DEFAULT_PRICES, "gpt-4o-2024-08-06")).toEqual(DEFAULT_PRICES["gpt-4o"]);
    expect(priceFor(DEFAULT_PRICES, "llama-3.1-70b")).toEqual(DEFAULT_PRICES.default);
  });

  it("lays the operator's YAML file over the built-in prices", () => {
    const dir = mkdtempSync(join(tmpdir(), "prices-"));
    const path = join(dir, "prices.yml");
    writeFileSync(path, "default: {input: 0, output: 0}\nmy-model: {input: 0.5, output: 1.5}\n");
    const table = loadPriceTable(path);
    expect(table.default).toEqual({ input: 0, output: 0 });
    expect(table["my-model"]).toEqual({ input: 0.5, output: 1.5 });
    expect(table["gpt-4o"]).toEqual(DEFAULT_PRICES["gpt-4o"]);
  });

  it("names the file and the bad entry", () => {
    const dir = mkdtempSync(join(tmpdir(), "prices-"));
    const path = join(dir, "prices.json");
    writeFileSync(path, JSON.stringify({ "my-model": { input: -1, output: 2 } }));
    let caught: unknown;
    try {
      loadPriceTable(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AutofixError);
    expect((caught as AutofixError).message).toContain(path);
    expect((caught as AutofixError).message).toContain("my-model.input");
    expect(() => loadPriceTable(join(dir, "missing.yml"))).toThrow(/cannot be read \(ENOENT\)/);
  });
});
