import {
  type Environment,
  type EnvironmentVariable,
  problemsWith,
  SAMPLES_MODES,
} from "../config/environment.ts";
import { AutofixError } from "../errors.ts";

/**
 * Operator settings of the model layer, from the environment (never from the repository config,
 * which a repository's maintainers control), parsed once (config/environment.ts) and passed in:
 * deep code never reads process.env.
 */
export { SAMPLES_MODES };
export type SamplesMode = (typeof SAMPLES_MODES)[number];

export interface LlmSettings {
  baseUrl: string;
  /** Undefined only when replaying (no endpoint is called then). */
  apiKey: string | undefined;
  /** The default model; config `models.*` may override it per stage. */
  model: string | undefined;
  concurrency: number;
  maxRetries: number;
  timeoutMs: number;
  samplesMode: SamplesMode;
  pricesPath: string | undefined;
  recordPath: string | undefined;
  replayPath: string | undefined;
}

const DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** What each variable accepts, for the error that names a bad value. */
const ALLOWED: Partial<Record<EnvironmentVariable, string>> = {
  AUTOFIX_LLM_BASE_URL: "an http(s) URL such as https://api.openai.com/v1 or http://127.0.0.1:8080/v1",
  OPENAI_BASE_URL: "an http(s) URL such as https://api.openai.com/v1 or http://127.0.0.1:8080/v1",
  AUTOFIX_LLM_CONCURRENCY: "an integer from 1 to 256",
  AUTOFIX_LLM_MAX_RETRIES: "an integer from 0 to 10",
  AUTOFIX_LLM_TIMEOUT_MS: "milliseconds, an integer from 1 to 3600000",
  AUTOFIX_LLM_SAMPLES_MODE: SAMPLES_MODES.join(" | "),
};

/** Each setting's variables, the first set one read (AUTOFIX_* before the OPENAI_* fallback). */
const VARIABLES: readonly (readonly EnvironmentVariable[])[] = [
  ["AUTOFIX_LLM_BASE_URL", "OPENAI_BASE_URL"],
  ["AUTOFIX_LLM_API_KEY", "OPENAI_API_KEY"],
  ["AUTOFIX_LLM_MODEL"],
  ["AUTOFIX_LLM_CONCURRENCY"],
  ["AUTOFIX_LLM_MAX_RETRIES"],
  ["AUTOFIX_LLM_TIMEOUT_MS"],
  ["AUTOFIX_LLM_SAMPLES_MODE"],
  ["AUTOFIX_LLM_PRICES"],
  ["AUTOFIX_LLM_RECORD"],
  ["AUTOFIX_LLM_REPLAY"],
];

/** The model layer's settings, a view of the environment; every problem is named (variable, value, what is allowed). */
export function loadLlmSettings(environment: Environment): LlmSettings {
  const refused = new Set(environment.problems.map((problem) => problem.variable));
  const read = VARIABLES.flatMap(
    (names) => names.find((name) => environment.values[name] !== undefined || refused.has(name)) ?? [],
  );
  const problems = [
    ...new Map(problemsWith(environment, read).map((problem) => [problem.variable, problem])).values(),
  ].map(
    (problem) =>
      `${problem.variable}=${JSON.stringify(problem.value.trim())} is not valid: expected ${ALLOWED[problem.variable] ?? "a value"}`,
  );
  if (problems.length > 0) {
    throw new AutofixError("llm_settings_invalid", problems.join("\n"), {
      hint: "Fix the environment variables above (see .env.example and docs/model-layer.md).",
      context: { problems },
    });
  }
  const e = environment.values;
  const settings: LlmSettings = {
    baseUrl: e.AUTOFIX_LLM_BASE_URL ?? e.OPENAI_BASE_URL ?? DEFAULT_BASE_URL,
    apiKey: e.AUTOFIX_LLM_API_KEY ?? e.OPENAI_API_KEY,
    model: e.AUTOFIX_LLM_MODEL,
    concurrency: e.AUTOFIX_LLM_CONCURRENCY ?? 4,
    maxRetries: e.AUTOFIX_LLM_MAX_RETRIES ?? 4,
    timeoutMs: e.AUTOFIX_LLM_TIMEOUT_MS ?? 120_000,
    samplesMode: e.AUTOFIX_LLM_SAMPLES_MODE ?? "auto",
    pricesPath: e.AUTOFIX_LLM_PRICES,
    recordPath: e.AUTOFIX_LLM_RECORD,
    replayPath: e.AUTOFIX_LLM_REPLAY,
  };
  if (settings.apiKey === undefined && settings.replayPath === undefined) throw missingKey(settings.baseUrl);
  return settings;
}

function missingKey(baseUrl: string): AutofixError {
  return new AutofixError(
    "llm_key_missing",
    `No model API key: set AUTOFIX_LLM_API_KEY (or OPENAI_API_KEY) for the endpoint ${baseUrl}.`,
    {
      hint: "For a local endpoint that needs no key (a scripted model, vLLM, llama.cpp, Ollama) any non-empty value works, e.g. AUTOFIX_LLM_API_KEY=local.",
      context: { variable: "AUTOFIX_LLM_API_KEY", baseUrl },
    },
  );
}
