import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { AutofixError } from "../errors.ts";
import { LlmCancelledError, LlmReplayMissError } from "./errors.ts";
import type { ChatMessage, Completion, CompletionRequest, Llm } from "./llm.ts";

/** One line of a recording file. */
export interface Exchange {
  v: 1;
  key: string;
  stage: string;
  request: { messages: ChatMessage[]; n: number; temperature: number; maxTokens: number | null };
  response: Completion;
}

/** What identifies a request for replay (the signal does not). Defaults are made explicit first. */
export function exchangeRequest(request: CompletionRequest): Exchange["request"] {
  return {
    messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
    n: request.n ?? 1,
    temperature: request.temperature ?? 0,
    maxTokens: request.maxTokens ?? null,
  };
}

export function exchangeKey(stage: string, request: Exchange["request"]): string {
  const canonical = JSON.stringify([
    stage,
    request.messages,
    request.n,
    request.temperature,
    request.maxTokens,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/** Llm → Llm: appends one JSON line per successful exchange to `path`. */
export class RecordingLlm implements Llm {
  readonly #inner: Llm;
  readonly #path: string;

  constructor(inner: Llm, path: string) {
    this.#inner = inner;
    this.#path = path;
    mkdirSync(dirname(path), { recursive: true });
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const response = await this.#inner.complete(request);
    const recorded = exchangeRequest(request);
    const exchange: Exchange = {
      v: 1,
      key: exchangeKey(request.stage, recorded),
      stage: request.stage,
      request: recorded,
      response,
    };
    // One write per line, in completion order: concurrent calls never interleave within a line.
    appendFileSync(this.#path, `${JSON.stringify(exchange)}\n`);
    return response;
  }
}

const messageSchema = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() });
const exchangeSchema = z.object({
  v: z.literal(1),
  key: z.string().regex(/^[0-9a-f]{64}$/),
  stage: z.string(),
  request: z.object({
    messages: z.array(messageSchema),
    n: z.int().min(1),
    temperature: z.number(),
    maxTokens: z.int().nullable(),
  }),
  response: z.object({
    model: z.string(),
    texts: z.array(z.string()),
    finishReasons: z.array(z.enum(["stop", "length", "content_filter", "other"])),
    usage: z.object({ promptTokens: z.number(), completionTokens: z.number() }),
  }),
});

/**
 * Answers from a recording instead of an endpoint: per request key a first-in first-out queue of
 * the recorded responses, so a run that repeats a request gets the same sequence again.
 */
export class ReplayLlm implements Llm {
  readonly #path: string;
  readonly #queues = new Map<string, Completion[]>();
  readonly #recorded: Exchange[];

  constructor(path: string) {
    this.#path = path;
    this.#recorded = readRecording(path);
    for (const exchange of this.#recorded) {
      const queue = this.#queues.get(exchange.key) ?? [];
      queue.push(exchange.response);
      this.#queues.set(exchange.key, queue);
    }
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    if (request.signal?.aborted) throw new LlmCancelledError(request.stage, request.signal.reason);
    const shape = exchangeRequest(request);
    const key = exchangeKey(request.stage, shape);
    const next = this.#queues.get(key)?.shift();
    if (next) return structuredClone(next);
    throw this.#miss(request.stage, key, shape);
  }

  #miss(stage: string, key: string, shape: Exchange["request"]): LlmReplayMissError {
    const used = this.#recorded.filter((exchange) => exchange.key === key).length;
    if (used > 0) {
      return new LlmReplayMissError(
        `Replay ${this.#path}: the ${stage} request (key ${key.slice(0, 12)}) was recorded ${used} time(s) and all were used.`,
        { stage, key, path: this.#path },
      );
    }
    const nearest = nearestExchange(this.#recorded, stage, shape);
    const near = nearest
      ? `nearest recorded: stage ${nearest.stage}, key ${nearest.key.slice(0, 12)} (${nearest.why})`
      : "the recording is empty";
    return new LlmReplayMissError(
      `Replay ${this.#path}: no recorded reply for the ${stage} request (key ${key.slice(0, 12)}); ${near}.`,
      { stage, key, path: this.#path, nearestKey: nearest?.key, nearestStage: nearest?.stage },
    );
  }
}

function readRecording(path: string): Exchange[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new AutofixError(
      "llm_replay_unreadable",
      `Replay file ${path} (AUTOFIX_LLM_REPLAY) cannot be read.`,
      {
        hint: "Point AUTOFIX_LLM_REPLAY at a JSONL file written with AUTOFIX_LLM_RECORD.",
        context: { path },
        cause,
      },
    );
  }
  const exchanges: Exchange[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const parsed = exchangeSchema.safeParse(safeJson(line));
    if (!parsed.success) {
      throw new AutofixError(
        "llm_replay_invalid",
        `Replay file ${path}:${index + 1} is not a recorded exchange.`,
        {
          hint: "Recordings are written by AUTOFIX_LLM_RECORD, one JSON object per line; do not edit them by hand.",
          context: { path, line: index + 1, problem: z.prettifyError(parsed.error) },
        },
      );
    }
    exchanges.push(parsed.data);
  }
  return exchanges;
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** The recorded exchange most like the missed one: same stage first, then the longest shared prompt prefix. */
function nearestExchange(
  recorded: readonly Exchange[],
  stage: string,
  shape: Exchange["request"],
): (Exchange & { why: string }) | undefined {
  const prompt = JSON.stringify(shape.messages);
  let best: { exchange: Exchange; score: number } | undefined;
  for (const exchange of recorded) {
    const shared = sharedPrefix(prompt, JSON.stringify(exchange.request.messages));
    const score = (exchange.stage === stage ? 1e9 : 0) + shared;
    if (!best || score > best.score) best = { exchange, score };
  }
  if (!best) return undefined;
  const { exchange } = best;
  const differs = [
    exchange.stage !== stage ? "stage" : "",
    JSON.stringify(exchange.request.messages) !== prompt ? "messages" : "",
    exchange.request.n !== shape.n ? `n ${exchange.request.n}≠${shape.n}` : "",
    exchange.request.temperature !== shape.temperature ? "temperature" : "",
    exchange.request.maxTokens !== shape.maxTokens ? "maxTokens" : "",
  ].filter(Boolean);
  return { ...exchange, why: `differs in ${differs.join(", ") || "nothing visible"}` };
}

function sharedPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
