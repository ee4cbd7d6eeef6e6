import { Ledger } from "./ledger.ts";
import type { Llm } from "./llm.ts";
import type { LlmLogger } from "./logger.ts";
import { MeteredLlm } from "./metered-llm.ts";
import { makeModelFor, type StageModels } from "./model-choice.ts";
import { OpenAiLlm } from "./openai-llm.ts";
import { loadPriceTable, type PriceTable } from "./prices.ts";
import { RecordingLlm, ReplayLlm } from "./recording.ts";
import type { LlmSettings } from "./settings.ts";

/** The parts of the repo config the model layer reads. */
export interface LlmConfig {
  models: StageModels;
  limits: { maxTokensPerRun: number; maxDollarsPerRun: number };
}

export interface CreateLlmOptions {
  settings: LlmSettings;
  config: Pick<LlmConfig, "models">;
  ledger: Ledger;
  logger?: LlmLogger;
  /** JSONL path to record to (default: settings.recordPath). */
  record?: string;
  /** JSONL path to replay from instead of calling the endpoint (default: settings.replayPath). */
  replay?: string;
  fetch?: typeof fetch;
}

/**
 * The one Llm a run uses: Replay, or the OpenAI adapter (recorded when asked), metered by the
 * run's ledger in every case — a replayed run meets the same ceilings as the recorded one.
 */
export function createLlm(options: CreateLlmOptions): Llm {
  const replay = options.replay ?? options.settings.replayPath;
  const record = options.record ?? options.settings.recordPath;
  let inner: Llm;
  if (replay !== undefined) {
    inner = new ReplayLlm(replay);
  } else {
    inner = new OpenAiLlm({
      settings: options.settings,
      modelFor: makeModelFor(options.config.models, options.settings.model),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    if (record !== undefined) inner = new RecordingLlm(inner, record);
  }
  const priceModel = makeModelFor(options.config.models, options.settings.model ?? "replayed");
  return new MeteredLlm(inner, options.ledger, priceModel);
}

/** A fresh ledger for one run, from the config's limits and the operator's price table. */
export function createLedger(
  limits: LlmConfig["limits"],
  prices: PriceTable = loadPriceTable(undefined),
): Ledger {
  return new Ledger({ maxTokens: limits.maxTokensPerRun, maxDollars: limits.maxDollarsPerRun }, prices);
}
