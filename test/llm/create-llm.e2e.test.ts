import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { readEnvironment } from "../../src/config/environment.ts";
import { configSchema } from "../../src/config/schema.ts";
import { createLedger, createLlm } from "../../src/llm/create-llm.ts";
import { BudgetExceededError } from "../../src/llm/errors.ts";
import { DEFAULT_PRICES } from "../../src/llm/prices.ts";
import { loadLlmSettings } from "../../src/llm/settings.ts";
import { closeServersAfterEach, scripted, user } from "./helpers.ts";

closeServersAfterEach();

const usage = { promptTokens: 40, completionTokens: 10 };

function settingsFor(url: string, extra: Record<string, string> = {}) {
  return loadLlmSettings(
    readEnvironment({
      AUTOFIX_LLM_BASE_URL: url,
      AUTOFIX_LLM_API_KEY: "scripted",
      AUTOFIX_LLM_MODEL: "gpt-4o-mini",
      AUTOFIX_LLM_MAX_RETRIES: "1",
      AUTOFIX_LLM_TIMEOUT_MS: "2000",
      ...extra,
    }),
  );
}

describe("createLlm", () => {
  it("refuses an over-budget call before it reaches the endpoint, and reports what was spent", async () => {
    const server = await scripted([{ reply: { content: "src/a.py", usage } }]);
    const config = configSchema.parse({ limits: { maxTokensPerRun: 5_000 } });
    const ledger = createLedger(config.limits);
    const llm = createLlm({ settings: settingsFor(server.url), config, ledger });

    await llm.complete({ stage: "localize.files", messages: user("which files?"), maxTokens: 200 });
    await expect(
      llm.complete({ stage: "repair.sample", messages: user("fix it"), n: 10, maxTokens: 1_000 }),
    ).rejects.toBeInstanceOf(BudgetExceededError);

    expect(server.requests.map((r) => r.stage)).toEqual(["localize.files"]);
    const report = ledger.report();
    const price = DEFAULT_PRICES["gpt-4o-mini"];
    expect(report.stages).toEqual([
      {
        stage: "localize.files",
        calls: 1,
        promptTokens: 40,
        completionTokens: 10,
        dollars: (40 * (price?.input ?? 0) + 10 * (price?.output ?? 0)) / 1e6,
      },
    ]);
    expect(report.spent.tokens).toBe(50);
    expect(report.refused).toBe(1);
  });

  it("picks the model per stage from the config, then models.default, then AUTOFIX_LLM_MODEL", async () => {
    const server = await scripted([{ reply: { content: "ok" } }]);
    const settings = settingsFor(server.url);
    const ledger = createLedger({ maxTokensPerRun: 1_000_000, maxDollarsPerRun: 10 });
    const logger = pino({ level: "silent" }); // the App's pino logger fits the model layer's
    const perStage = createLlm({
      settings,
      ledger,
      logger,
      config: { models: { repair: "big", default: "medium" } },
    });
    await perStage.complete({ stage: "repair.sample", messages: user("a") });
    await perStage.complete({ stage: "localize.files", messages: user("b") });
    await createLlm({ settings, ledger, config: { models: {} } }).complete({
      stage: "repair",
      messages: user("c"),
    });
    expect(server.requests.map((r) => r.model)).toEqual(["big", "medium", "gpt-4o-mini"]);
  });

  it("needs a model for real runs, and names the variable", () => {
    const settings = loadLlmSettings(readEnvironment({ AUTOFIX_LLM_API_KEY: "k" }));
    const ledger = createLedger({ maxTokensPerRun: 1_000, maxDollarsPerRun: 1 });
    expect(() => createLlm({ settings, ledger, config: { models: {} } })).toThrow(/set AUTOFIX_LLM_MODEL/);
  });

  it("records with AUTOFIX_LLM_RECORD and replays with AUTOFIX_LLM_REPLAY, metered the same", async () => {
    const server = await scripted([{ reply: { choices: ["x", "y"], usage } }]);
    const path = join(mkdtempSync(join(tmpdir(), "create-llm-")), "nested", "run.jsonl");
    const config = { models: {} };
    const limits = { maxTokensPerRun: 100_000, maxDollarsPerRun: 1 };
    const recordLedger = createLedger(limits);
    const recorder = createLlm({
      settings: settingsFor(server.url, { AUTOFIX_LLM_RECORD: path }),
      config,
      ledger: recordLedger,
    });
    const recorded = await recorder.complete({
      stage: "repair",
      messages: user("q"),
      n: 2,
      temperature: 0.8,
    });
    await server.close();

    const replayLedger = createLedger(limits);
    const replaySettings = loadLlmSettings(readEnvironment({ AUTOFIX_LLM_REPLAY: path }));
    const replayer = createLlm({ settings: replaySettings, config, ledger: replayLedger });
    expect(await replayer.complete({ stage: "repair", messages: user("q"), n: 2, temperature: 0.8 })).toEqual(
      recorded,
    );
    expect(replayLedger.report().spent).toEqual(recordLedger.report().spent);
  });
});
