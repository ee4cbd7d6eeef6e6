import { countTokens } from "gpt-tokenizer";

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
