import { countTokens, decode, encodeGenerator } from "gpt-tokenizer";

/**
 * Token counts with the o200k tokenizer (GPT-4o family). For other model families this is an
 * estimate, good enough for budgeting: the ledger settles on the usage the endpoint reports.
 * Special-token text (`<|endoftext|>`) in repository content is counted as plain text, never refused.
 */
const PLAIN = { disallowedSpecial: new Set<string>() };

/** Per-message framing the chat format adds (role and separators), per OpenAI's counting recipe. */
const PER_MESSAGE = 4;
const PER_REPLY = 3;

export function countTextTokens(text: string): number {
  return countTokens(text, PLAIN);
}

export function countPromptTokens(messages: readonly { content: string }[]): number {
  let total = PER_REPLY;
  for (const message of messages) total += PER_MESSAGE + countTextTokens(message.content);
  return total;
}

/** The tokens of `text` when there are at most `limit`, else undefined; stops counting past the limit. */
export function countWithin(text: string, limit: number): number | undefined {
  let count = 0;
  for (const chunk of encodeGenerator(text, PLAIN)) {
    count += chunk.length;
    if (count > limit) return undefined;
  }
  return count;
}

/**
 * The text of the first `maxTokens` tokens of `text`. Encodes lazily, so cutting a megabyte costs
 * about as much as the part kept. A multi-byte character split at the cut is dropped.
 */
export function headTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return "";
  // Every token is at least one byte: a text of at most maxTokens bytes is kept whole.
  if (Buffer.byteLength(text, "utf8") <= maxTokens) return text;
  const kept: number[] = [];
  for (const chunk of encodeGenerator(text, PLAIN)) {
    kept.push(...chunk.slice(0, maxTokens - kept.length));
    if (kept.length >= maxTokens) break;
  }
  return decode(kept).replace(/\uFFFD+$/, "");
}
