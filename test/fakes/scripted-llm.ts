import type { Completion, CompletionRequest, FinishReason, Llm } from "../../src/llm/llm.ts";
import { countPromptTokens, countTextTokens } from "../../src/llm/tokens.ts";
import {
  parseScript,
  type ResolvedReply,
  type ResolvedScript,
  readScriptFile,
  type ScriptResult,
} from "../../src/scripted-model/load-script.ts";
import { RuleBook } from "../../src/scripted-model/rules.ts";
import type { ScriptInput } from "../../src/scripted-model/script.ts";

/**
 * A FAKE Llm that answers in-process from a scripted-model script (the YAML the scripted model
 * server serves, e.g. test/fixtures/fix/py-median/model-mixed.yml), with the server's rule book:
 * the same script drives a unit test here and a CLI run against the server in the e2e tier.
 * Not served here: HTTP behaviour (status, retryAfterMs, delayMs, hang, omitUsage) — a reply
 * asking for it throws, so a test cannot believe it exercised it.
 */
export class ScriptedLlm implements Llm {
  /** The stage of every request received, in order. */
  readonly stages: string[] = [];
  /** Every request received, in order. */
  readonly calls: CompletionRequest[] = [];
  readonly #rules: RuleBook;

  constructor(script: ResolvedScript) {
    this.#rules = new RuleBook(script);
  }

  static fromFile(path: string): ScriptedLlm {
    return new ScriptedLlm(scriptOrThrow(readScriptFile(path), path));
  }

  /** A script given inline, as the YAML file would hold it. */
  static of(script: ScriptInput): ScriptedLlm {
    return new ScriptedLlm(scriptOrThrow(parseScript(script, "."), "inline script"));
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    this.calls.push(request);
    this.stages.push(request.stage);
    request.signal?.throwIfAborted();
    const n = request.n ?? 1;
    const picked = this.#rules.pick({
      stage: request.stage,
      model: "scripted-model",
      n,
      messages: request.messages,
    });
    if (picked === undefined)
      throw new Error(`ScriptedLlm: no rule and no fallback for stage ${request.stage}`);
    const samples = samplesOf(picked.reply, n, request.stage);
    return {
      model: "scripted-model",
      texts: samples.map((sample) => sample.text),
      finishReasons: samples.map((sample) => sample.finishReason),
      usage: picked.reply.usage ?? {
        promptTokens: countPromptTokens(request.messages),
        completionTokens: samples.reduce((sum, sample) => sum + countTextTokens(sample.text), 0),
      },
    };
  }
}

function scriptOrThrow(result: ScriptResult, where: string): ResolvedScript {
  if (result.ok) return result.script;
  throw new Error(`${where}: ${result.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
}

function samplesOf(
  reply: ResolvedReply,
  n: number,
  stage: string,
): { text: string; finishReason: FinishReason }[] {
  const http = [reply.status, reply.retryAfterMs, reply.delayMs, reply.hang, reply.omitUsage];
  if (http.some((value) => value !== undefined))
    throw new Error(
      `ScriptedLlm (stage ${stage}): HTTP replies are served only by the scripted model server`,
    );
  const all = reply.choices ?? [reply.content ?? ""];
  return Array.from({ length: reply.ignoreN ? 1 : Math.max(1, n) }, (_, index) => {
    const full = all[Math.min(index, all.length - 1)] ?? "";
    const cut = reply.truncateAfterChars;
    const truncated = cut !== undefined && full.length > cut;
    const reason = reply.finishReason ?? (truncated ? "length" : "stop");
    return { text: truncated ? full.slice(0, cut) : full, finishReason: asFinishReason(reason) };
  });
}

function asFinishReason(reason: string): FinishReason {
  return reason === "stop" || reason === "length" || reason === "content_filter" ? reason : "other";
}
