import { describe, expect, it } from "vitest";
import { readEnvironment } from "../../src/config/environment.ts";
import { AutofixError } from "../../src/errors.ts";
import { loadLlmSettings } from "../../src/llm/settings.ts";

function errorOf(run: () => unknown): AutofixError {
  try {
    run();
  } catch (error) {
    if (error instanceof AutofixError) return error;
    throw error;
  }
  throw new Error("expected an AutofixError");
}

describe("loadLlmSettings", () => {
  it("applies the defaults and the OPENAI_* fallbacks", () => {
    const settings = loadLlmSettings(
      readEnvironment({
        OPENAI_API_KEY: "sk-fallback",
        OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      }),
    );
    expect(settings).toEqual({
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: "sk-fallback",
      model: undefined,
      concurrency: 4,
      maxRetries: 4,
      timeoutMs: 120_000,
      samplesMode: "auto",
      pricesPath: undefined,
      recordPath: undefined,
      replayPath: undefined,
    });
  });

  it("prefers the AUTOFIX_* variables and parses every one of them", () => {
    const settings = loadLlmSettings(
      readEnvironment({
        AUTOFIX_LLM_BASE_URL: "http://localhost:8080/v1",
        OPENAI_BASE_URL: "https://ignored.example/v1",
        AUTOFIX_LLM_API_KEY: "local",
        OPENAI_API_KEY: "sk-ignored",
        AUTOFIX_LLM_MODEL: "qwen2.5-coder",
        AUTOFIX_LLM_CONCURRENCY: "8",
        AUTOFIX_LLM_MAX_RETRIES: "0",
        AUTOFIX_LLM_TIMEOUT_MS: "30000",
        AUTOFIX_LLM_SAMPLES_MODE: "separate",
        AUTOFIX_LLM_PRICES: "prices.yml",
        AUTOFIX_LLM_RECORD: "run.jsonl",
      }),
    );
    expect(settings).toMatchObject({
      baseUrl: "http://localhost:8080/v1",
      apiKey: "local",
      model: "qwen2.5-coder",
      concurrency: 8,
      maxRetries: 0,
      timeoutMs: 30_000,
      samplesMode: "separate",
      pricesPath: "prices.yml",
      recordPath: "run.jsonl",
    });
  });

  it("names the key variable when no key is set, and how to satisfy a local endpoint", () => {
    const error = errorOf(() =>
      loadLlmSettings(readEnvironment({ AUTOFIX_LLM_MODEL: "m", AUTOFIX_LLM_API_KEY: "  " })),
    );
    expect(error.code).toBe("llm_key_missing");
    expect(error.message).toContain("AUTOFIX_LLM_API_KEY");
    expect(error.message).toContain("https://api.openai.com/v1");
    expect(error.hint).toMatch(/any non-empty value/);
  });

  it("needs no key when replaying a recording", () => {
    expect(loadLlmSettings(readEnvironment({ AUTOFIX_LLM_REPLAY: "run.jsonl" })).apiKey).toBeUndefined();
  });

  it("names the variable, the value and what is allowed for every bad value", () => {
    const error = errorOf(() =>
      loadLlmSettings(
        readEnvironment({
          AUTOFIX_LLM_API_KEY: "k",
          AUTOFIX_LLM_CONCURRENCY: "four",
          AUTOFIX_LLM_TIMEOUT_MS: "1.5",
          AUTOFIX_LLM_SAMPLES_MODE: "batch",
          AUTOFIX_LLM_BASE_URL: "localhost:8080",
        }),
      ),
    );
    expect(error.code).toBe("llm_settings_invalid");
    expect(error.message.split("\n")).toEqual([
      'AUTOFIX_LLM_BASE_URL="localhost:8080" is not valid: expected an http(s) URL such as https://api.openai.com/v1 or http://127.0.0.1:8080/v1',
      'AUTOFIX_LLM_CONCURRENCY="four" is not valid: expected an integer from 1 to 256',
      'AUTOFIX_LLM_TIMEOUT_MS="1.5" is not valid: expected milliseconds, an integer from 1 to 3600000',
      'AUTOFIX_LLM_SAMPLES_MODE="batch" is not valid: expected auto | native | separate',
    ]);
  });

  it("rejects a retry count out of range", () => {
    const error = errorOf(() =>
      loadLlmSettings(readEnvironment({ AUTOFIX_LLM_API_KEY: "k", AUTOFIX_LLM_MAX_RETRIES: "-1" })),
    );
    expect(error.message).toBe('AUTOFIX_LLM_MAX_RETRIES="-1" is not valid: expected an integer from 0 to 10');
  });
});
