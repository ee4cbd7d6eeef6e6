import type { Completion, CompletionRequest, FinishReason, Llm } from "../../src/llm/llm.ts";
import { countPromptTokens, countTextTokens } from "../../src/llm/tokens.ts";

/**
 * An in-process Llm for unit tests of the stages. It is a FAKE because no model is reachable
 * here; it answers from rules the test gives it. The real adapter (openai SDK over HTTP) is
 * tested against the scripted OpenAI-compatible server instead (test/llm/openai-llm.e2e.test.ts),
 * and that is also the way to exercise a whole run end to end.
 *
 * A reply is a text (every sample gets it), a list of texts (one per sample, the last repeats),
 * a function of the request, or an Error to throw. Rules are tried in order; a rule with `times`
 * is used at most that often. Usage is counted with the same tokenizer as the ledger.
 */
export type FakeReply =
  | string
  | readonly string[]
  | Error
  | ((request: CompletionRequest) => string | string[]);

export interface FakeRule {
  stage?: string | RegExp;
  /** Searched in all message contents. */
  prompt?: RegExp;
  times?: number;
  reply: FakeReply;
  finishReason?: FinishReason;
}

export class FakeLlm implements Llm {
  /** Every request received, in order. */
  readonly calls: CompletionRequest[] = [];
  readonly #rules: { rule: FakeRule; used: number }[] = [];
  readonly #model: string;

  constructor(rules: FakeRule[] = [], options: { model?: string } = {}) {
    for (const rule of rules) this.#rules.push({ rule, used: 0 });
    this.#model = options.model ?? "fake-model";
  }

  /** Add a rule (tried after the earlier ones). */
  on(match: Omit<FakeRule, "reply">, reply: FakeReply): this {
    this.#rules.push({ rule: { ...match, reply }, used: 0 });
    return this;
  }

  /** Replies for a stage, each used once, in order. */
  queue(stage: string, ...replies: FakeReply[]): this {
    for (const reply of replies) this.on({ stage, times: 1 }, reply);
    return this;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    this.calls.push(request);
    if (request.signal?.aborted) throw request.signal.reason;
    const entry = this.#rules.find(
      ({ rule, used }) => (rule.times === undefined || used < rule.times) && matches(rule, request),
    );
    if (!entry)
      throw new Error(`FakeLlm: no reply for stage ${request.stage} (${this.calls.length} calls so far)`);
    entry.used++;
    const reply = entry.rule.reply;
    if (reply instanceof Error) throw reply;
    const produced = typeof reply === "function" ? reply(request) : reply;
    const list = typeof produced === "string" ? [produced] : produced;
    const n = request.n ?? 1;
    const texts = Array.from({ length: n }, (_, index) => list[Math.min(index, list.length - 1)] ?? "");
    return {
      model: this.#model,
      texts,
      finishReasons: texts.map(() => entry.rule.finishReason ?? "stop"),
      usage: {
        promptTokens: countPromptTokens(request.messages),
        completionTokens: texts.reduce((sum, text) => sum + countTextTokens(text), 0),
      },
    };
  }
}

function matches(rule: FakeRule, request: CompletionRequest): boolean {
  if (typeof rule.stage === "string" && rule.stage !== request.stage) return false;
  if (rule.stage instanceof RegExp && !rule.stage.test(request.stage)) return false;
  if (rule.prompt && !rule.prompt.test(request.messages.map((m) => m.content).join("\n\n"))) return false;
  return true;
}
