import { boundReply } from "./bound-reply.ts";
import type { Ledger } from "./ledger.ts";
import { type Completion, type CompletionRequest, DEFAULT_MAX_TOKENS, type Llm } from "./llm.ts";
import type { ModelFor } from "./model-choice.ts";
import { countPromptTokens } from "./tokens.ts";

export { DEFAULT_MAX_TOKENS };

/**
 * Llm → Llm: every call reserves its worst case in the run's ledger first, then settles its usage.
 * A reply longer than its reservation is cut to it and booked at it (see boundReply, Ledger.settle).
 */
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
    const samples = request.n ?? 1;
    const promptTokens = countPromptTokens(request.messages);
    // Worst case: an endpoint that ignores `n` is sampled by separate calls, each billed the prompt.
    const reservation = this.#ledger.reserve({
      stage: request.stage,
      model: this.#modelFor(request.stage),
      promptTokens: promptTokens * samples,
      maxCompletionTokens: bounded.maxTokens * samples,
    });
    let completion: Completion;
    try {
      completion = await this.#inner.complete(bounded);
    } catch (error) {
      this.#ledger.release(reservation);
      throw error;
    }
    const reply = boundReply(completion, bounded.maxTokens);
    const usage = this.#ledger.settle(
      reservation,
      completion.model,
      // An endpoint that reports less than the prompt we counted and sent is booked at our count.
      {
        promptTokens: Math.max(completion.usage.promptTokens, promptTokens),
        completionTokens: reply.completionTokens,
      },
      reply.cutSamples,
    );
    return { ...reply.completion, usage };
  }
}
