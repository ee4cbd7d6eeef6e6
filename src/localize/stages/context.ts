import type { CodeIndex } from "../../code-index/code-index.ts";
import { describeError } from "../../errors.ts";
import type { ChatMessage, Completion, CompletionRequest, Llm } from "../../llm/llm.ts";
import { fitPrompt, type PromptPart } from "../../llm/prompt-fit.ts";
import { countPromptTokens } from "../../llm/tokens.ts";
import { type PromptTemplate, renderPrompt } from "../prompts.ts";
import type { Retrieval } from "../retrieve.ts";
import type { LocalizationBudget, StageReport } from "../types.ts";

export interface StageContext {
  index: CodeIndex;
  issueText: string;
  budget: LocalizationBudget;
  retrieval: Retrieval;
  llm: Llm | undefined;
  promptsDir: string | undefined;
  signal: AbortSignal | undefined;
}

export function emptyReport(stage: StageReport["stage"]): StageReport {
  return {
    stage,
    usedModel: false,
    calls: 0,
    promptTokens: 0,
    completionTokens: 0,
    dropped: [],
    corrected: [],
    notes: [],
  };
}

/**
 * Sends the prompt when there is a model; otherwise only counts what it would cost. A failed call
 * (budget ceiling, endpoint down) is noted in the report and answered with no texts, so the stage
 * falls back to retrieval instead of failing the run.
 */
export async function askModel(
  context: StageContext,
  report: StageReport,
  request: Omit<CompletionRequest, "signal">,
): Promise<string[]> {
  const promptTokens = countPromptTokens(request.messages);
  if (!context.llm) {
    report.promptTokens += promptTokens;
    return [];
  }
  if (promptTokens > context.budget.maxPromptTokens) {
    report.notes.push(
      `the prompt (${promptTokens} tokens) is over localization.maxPromptTokens even when cut; retrieval used instead`,
    );
    return [];
  }
  let completion: Completion;
  try {
    completion = await context.llm.complete({
      ...request,
      ...(context.signal ? { signal: context.signal } : {}),
    });
  } catch (error) {
    if (context.signal?.aborted) throw error;
    report.notes.push(`model call failed, retrieval used instead: ${describeError(error)}`);
    report.promptTokens += promptTokens;
    return [];
  }
  report.usedModel = true;
  report.calls += 1;
  report.promptTokens += completion.usage.promptTokens;
  report.completionTokens += completion.usage.completionTokens;
  completion.finishReasons.forEach((reason, i) => {
    if (reason === "length") report.notes.push(`sample ${i + 1} was cut off at the token limit`);
  });
  return completion.texts;
}

/**
 * A stage's prompt within localization.maxPromptTokens: the variable parts are cut (with a visible
 * notice in the prompt, and a note in the report) when the whole would be over the cap.
 */
export function fitStagePrompt(
  context: StageContext,
  report: StageReport,
  template: PromptTemplate,
  parts: readonly PromptPart[],
  fixed: Readonly<Record<string, string | number>>,
): ChatMessage[] {
  const fitted = fitPrompt({
    render: (values) => renderPrompt(template, { ...fixed, ...values }),
    parts,
    maxPromptTokens: context.budget.maxPromptTokens,
  });
  for (const note of fitted.notes) report.notes.push(`cut to fit localization.maxPromptTokens: ${note}`);
  return fitted.messages;
}

/** Shortens text to about `maxTokens` tokens (by lines), saying so. */
export function clipToTokens(text: string, maxTokens: number, count: (text: string) => number): string {
  if (count(text) <= maxTokens) return text;
  const lines = text.split("\n");
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (count(lines.slice(0, mid).join("\n")) <= maxTokens) low = mid;
    else high = mid - 1;
  }
  return `${lines.slice(0, low).join("\n")}\n... (${lines.length - low} more lines not shown)`;
}
