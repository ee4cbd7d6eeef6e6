import type { Ledger } from "./ledger.ts";
import type { Completion, CompletionRequest, Llm } from "./llm.ts";
import type { ModelFor } from "./model-choice.ts";
import { countPromptTokens } from "./tokens.ts";

/**
 * Completion tokens per sample when a caller sets no `maxTokens`. The request sent on carries it,
 * so the ledger's worst case is a real bound, not a guess.
 */
export const DEFAULT_MAX_TOKENS = 4_096;

/** Llm → Llm: every call reserves its worst case in the run's ledger first, then settles its usage. */
export class MeteredLlm implements Llm {
  readonly #inner: Llm;
  readonly #ledger: Ledger;
  readonly #modelFor: ModelFor;

  constructor(inner: Llm, ledger: Ledger, modelFor: ModelFor) {
    this.#inner = inner;
    this.#ledger = ledger;
    this.#modelFor = modelFor;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const bounded = { ...request, maxTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS };
    const reservation = this.#ledger.reserve({
      stage: request.stage,
      model: this.#modelFor(request.stage),
      promptTokens: countPromptTokens(request.messages),
      maxCompletionTokens: bounded.maxTokens * (request.n ?? 1),
    });
    let completion: Completion;
    try {
      completion = await this.#inner.complete(bounded);
    } catch (error) {
      this.#ledger.release(reservation);
      throw error;
    }
    this.#ledger.settle(reservation, completion.model, completion.usage);
    return completion;
  }
}
