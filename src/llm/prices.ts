import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { AutofixError } from "../errors.ts";
import type { Usage } from "./llm.ts";

/** Dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** Model name → price; `default` prices every model the table does not name. */
export type PriceTable = Readonly<Record<string, ModelPrice>> & { readonly default: ModelPrice };

/**
 * Built-in prices: OpenAI's list prices (USD per 1M tokens, standard tier) at the time of writing —
 * they change; override them with AUTOFIX_LLM_PRICES. `default` is deliberately not cheap, so that
 * an unknown model still meets the dollar ceiling early rather than never. A local model is free:
 * give it (or `default`) `{input: 0, output: 0}` in your price file.
 */
export const DEFAULT_PRICES: PriceTable = {
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "o3-mini": { input: 1.1, output: 4.4 },
  "o4-mini": { input: 1.1, output: 4.4 },
  default: { input: 3, output: 15 },
};

const dollarsPerMillion = z.number().min(0).max(10_000);
const priceFileSchema = z.record(
  z.string().min(1),
  z.strictObject({ input: dollarsPerMillion, output: dollarsPerMillion }),
);

/** The built-in table, with the operator's file (JSON or YAML) laid over it when a path is given. */
export function loadPriceTable(path: string | undefined): PriceTable {
  if (path === undefined) return DEFAULT_PRICES;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw priceError(path, `cannot be read (${(cause as NodeJS.ErrnoException).code ?? "error"})`, cause);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (cause) {
    throw priceError(path, `is not valid YAML/JSON: ${(cause as Error).message.split("\n")[0]}`, cause);
  }
  const result = priceFileSchema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`,
    );
    throw priceError(path, `is invalid:\n  ${problems.join("\n  ")}`);
  }
  return { ...DEFAULT_PRICES, ...result.data };
}

/**
 * The price of a model: its exact name, else the longest table name it starts with
 * (`gpt-4o-2024-08-06` → `gpt-4o`), else `default`.
 */
export function priceFor(table: PriceTable, model: string): ModelPrice {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (name !== "default" && model.startsWith(name) && name.length > (best?.length ?? 0)) best = name;
  }
  return (best === undefined ? undefined : table[best]) ?? table.default;
}

export function dollarsFor(price: ModelPrice, usage: Usage): number {
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}

function priceError(path: string, detail: string, cause?: unknown): AutofixError {
  return new AutofixError("llm_prices_invalid", `The price table ${path} (AUTOFIX_LLM_PRICES) ${detail}`, {
    hint: 'Write model name → {input, output} in dollars per million tokens, e.g. {"my-model": {"input": 0.5, "output": 1.5}}.',
    context: { path },
    cause,
  });
}
