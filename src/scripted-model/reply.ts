import { countPromptTokens, countTextTokens } from "../llm/tokens.ts";
import type { ResolvedReply } from "./load-script.ts";
import type { IncomingChat } from "./rules.ts";

let sequence = 0;

/** The chat.completion body a reply stands for, shaped like OpenAI's. */
export function completionBody(reply: ResolvedReply, request: IncomingChat): Record<string, unknown> {
  const count = reply.ignoreN ? 1 : Math.max(1, request.n);
  const all = reply.choices ?? [reply.content ?? ""];
  const choices = Array.from({ length: count }, (_, index) => {
    const full = all[Math.min(index, all.length - 1)] ?? "";
    const cut = reply.truncateAfterChars;
    const truncated = cut !== undefined && full.length > cut;
    return {
      index,
      message: { role: "assistant", content: truncated ? full.slice(0, cut) : full },
      finish_reason: reply.finishReason ?? (truncated ? "length" : "stop"),
      logprobs: null,
    };
  });
  const usage = reply.usage ?? {
    promptTokens: countPromptTokens(request.messages),
    completionTokens: choices.reduce((sum, choice) => sum + countTextTokens(choice.message.content), 0),
  };
  return {
    id: `chatcmpl-scripted-${++sequence}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices,
    ...(reply.omitUsage
      ? {}
      : {
          usage: {
            prompt_tokens: usage.promptTokens,
            completion_tokens: usage.completionTokens,
            total_tokens: usage.promptTokens + usage.completionTokens,
          },
        }),
  };
}

export function errorBody(message: string, status: number): Record<string, unknown> {
  return {
    error: { message, type: status === 429 ? "rate_limit_exceeded" : "scripted_error", code: status },
  };
}

/** The default answer when no rule matched: a readable 404 saying what was asked. */
export function noMatchMessage(request: IncomingChat): string {
  const lastUser = [...request.messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const start = lastUser.replace(/\s+/g, " ").slice(0, 80);
  return `no scripted rule matched (stage "${request.stage}", model "${request.model}", n ${request.n}; last user message starts: "${start}")`;
}
