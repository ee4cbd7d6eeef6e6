import { z } from "zod";
import { LlmResponseError } from "./errors.ts";
import type { ChatMessage, Completion, FinishReason } from "./llm.ts";
import { countPromptTokens, countTextTokens } from "./tokens.ts";

/** What we need of a chat completion body; compatible servers differ in the rest. */
const responseSchema = z.object({
  model: z.string().optional(),
  choices: z.array(
    z.object({
      index: z.number().optional(),
      message: z.object({ content: z.string().nullable().optional() }).nullable().optional(),
      finish_reason: z.string().nullable().optional(),
    }),
  ),
  usage: z
    .object({ prompt_tokens: z.number().min(0), completion_tokens: z.number().min(0) })
    .nullable()
    .optional(),
});

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  stop: "stop",
  eos: "stop",
  end_turn: "stop",
  stop_sequence: "stop",
  length: "length",
  max_tokens: "length",
  content_filter: "content_filter",
};

export function mapFinishReason(reason: string | null | undefined): FinishReason {
  return (reason ? FINISH_REASONS[reason] : undefined) ?? "other";
}

/**
 * One HTTP response → a Completion. Choices come back in index order; an endpoint that reports no
 * usage gets it counted with the tokenizer.
 */
export function parseChatResponse(
  body: unknown,
  context: { stage: string; requestedModel: string; messages: readonly ChatMessage[]; baseUrl: string },
): Completion {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success || parsed.data.choices.length === 0) {
    const why = parsed.success ? "it has no choices" : z.prettifyError(parsed.error).split("\n")[0];
    throw new LlmResponseError(
      `The model endpoint ${context.baseUrl} answered the ${context.stage} call with something that is not a chat completion: ${why}.`,
      { context: { stage: context.stage, baseUrl: context.baseUrl } },
    );
  }
  const choices = [...parsed.data.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const texts = choices.map((choice) => choice.message?.content ?? "");
  const usage = parsed.data.usage
    ? { promptTokens: parsed.data.usage.prompt_tokens, completionTokens: parsed.data.usage.completion_tokens }
    : {
        promptTokens: countPromptTokens(context.messages),
        completionTokens: texts.reduce((sum, text) => sum + countTextTokens(text), 0),
      };
  return {
    model: parsed.data.model || context.requestedModel,
    texts,
    finishReasons: choices.map((choice) => mapFinishReason(choice.finish_reason)),
    usage,
  };
}

/** Several calls for one request (separate samples) → one Completion of `n` samples. */
export function combineCompletions(parts: readonly Completion[], n: number): Completion {
  const texts = parts.flatMap((part) => part.texts).slice(0, n);
  const finishReasons = parts.flatMap((part) => part.finishReasons).slice(0, n);
  return {
    model: parts[0]?.model ?? "",
    texts,
    finishReasons,
    usage: {
      promptTokens: parts.reduce((sum, part) => sum + part.usage.promptTokens, 0),
      completionTokens: parts.reduce((sum, part) => sum + part.usage.completionTokens, 0),
    },
  };
}
