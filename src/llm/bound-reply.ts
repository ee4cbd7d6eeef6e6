import type { Completion } from "./llm.ts";
import { countTextTokens, countWithin, headTokens } from "./tokens.ts";

export interface BoundedReply {
  /** Every sample at most `maxTokens` tokens; a cut one finishes with `length`. */
  completion: Completion;
  /** Samples that were longer than `maxTokens`. */
  cutSamples: number;
  /**
   * Completion tokens to book before the ledger's clamp: the endpoint's report, or more when the
   * texts it returned count more (an endpoint that understates its usage).
   */
  completionTokens: number;
}

/**
 * Holds a reply to what its call reserved: `max_tokens` per sample is a promise the endpoint may
 * break (a proxy that ignores it, a server that pads), so each text is counted with our tokenizer
 * and cut at the reserved completion tokens.
 */
export function boundReply(completion: Completion, maxTokens: number): BoundedReply {
  const reportedOver = completion.usage.completionTokens > maxTokens * completion.texts.length;
  let cutSamples = 0;
  let counted = 0;
  const finishReasons = [...completion.finishReasons];
  const texts = completion.texts.map((text, i) => {
    const within = countWithin(text, maxTokens);
    if (within !== undefined) {
      counted += within;
      return text;
    }
    cutSamples++;
    // Counting a whole text costs about a second per megabyte: only done when the endpoint's own
    // report does not already show the overrun (the cut bounds what is booked either way).
    counted += reportedOver ? maxTokens + 1 : countTextTokens(text);
    finishReasons[i] = "length";
    return headTokens(text, maxTokens);
  });
  const completionTokens = Math.max(completion.usage.completionTokens, counted);
  return { completion: { ...completion, texts, finishReasons }, cutSamples, completionTokens };
}
