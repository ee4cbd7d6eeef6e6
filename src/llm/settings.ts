import { z } from "zod";
import { AutofixError } from "../errors.ts";

/**
 * Operator settings of the model layer, from the environment (never from the repository config,
 * which a repository's maintainers control). The env record is passed in: deep code never reads
 * process.env.
 */
export const SAMPLES_MODES = ["auto", "native", "separate"] as const;
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

export type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_BASE_URL = "https://api.openai.com/v1";

type Field = { names: string[]; schema: z.ZodType; allowed: string };

const integer = (min: number, max: number, fallback: number): Field["schema"] =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const FIELDS = {
  baseUrl: {
    names: ["AUTOFIX_LLM_BASE_URL", "OPENAI_BASE_URL"],
    schema: z.url({ protocol: /^https?$/ }).default(DEFAULT_BASE_URL),
    allowed: "an http(s) URL such as https://api.openai.com/v1 or http://127.0.0.1:8080/v1",
  },
  apiKey: { names: ["AUTOFIX_LLM_API_KEY", "OPENAI_API_KEY"], schema: z.string().optional(), allowed: "" },
  model: { names: ["AUTOFIX_LLM_MODEL"], schema: z.string().optional(), allowed: "" },
  concurrency: {
    names: ["AUTOFIX_LLM_CONCURRENCY"],
    schema: integer(1, 256, 4),
    allowed: "an integer from 1 to 256",
  },
  maxRetries: {
    names: ["AUTOFIX_LLM_MAX_RETRIES"],
    schema: integer(0, 10, 4),
    allowed: "an integer from 0 to 10",
  },
  timeoutMs: {
    names: ["AUTOFIX_LLM_TIMEOUT_MS"],
    schema: integer(1, 3_600_000, 120_000),
    allowed: "milliseconds, an integer from 1 to 3600000",
  },
  samplesMode: {
    names: ["AUTOFIX_LLM_SAMPLES_MODE"],
    schema: z.enum(SAMPLES_MODES).default("auto"),
    allowed: SAMPLES_MODES.join(" | "),
  },
  pricesPath: { names: ["AUTOFIX_LLM_PRICES"], schema: z.string().optional(), allowed: "" },
  recordPath: { names: ["AUTOFIX_LLM_RECORD"], schema: z.string().optional(), allowed: "" },
  replayPath: { names: ["AUTOFIX_LLM_REPLAY"], schema: z.string().optional(), allowed: "" },
} satisfies Record<keyof LlmSettings, Field>;

/** Parse the model layer's settings; every problem is named (variable, value, what is allowed). */
export function loadLlmSettings(env: Env): LlmSettings {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(FIELDS) as [keyof LlmSettings, Field][]) {
    const name = field.names.find((candidate) => nonEmpty(env[candidate]) !== undefined);
    const raw = name === undefined ? undefined : nonEmpty(env[name]);
    const result = field.schema.safeParse(raw);
    if (result.success) values[key] = result.data;
    else
      problems.push(
        `${name ?? field.names[0]}=${JSON.stringify(raw)} is not valid: expected ${field.allowed}`,
      );
  }
  if (problems.length > 0) {
    throw new AutofixError("llm_settings_invalid", problems.join("\n"), {
      hint: "Fix the environment variables above (see .env.example and docs/model-layer.md).",
      context: { problems },
    });
  }
  const settings = values as unknown as LlmSettings;
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

/** Empty values count as unset (`KEY=` lines in .env files). */
function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
