import { readFileSync } from "node:fs";
import path from "node:path";
import type { LanguageRegistry } from "../code-index/languages.ts";
import type { AutofixConfig } from "../config/schema.ts";
import { BudgetExceededError } from "../llm/errors.ts";
import type { ChatMessage, Llm } from "../llm/llm.ts";
import { fillTemplate, loadTemplate } from "../llm/prompt-template.ts";
import { countPromptTokens } from "../llm/tokens.ts";
import { fenced } from "../localize/prompts.ts";
import type { ContextWindow } from "../localize/windows.ts";
import { renderExcerpts } from "./excerpts.ts";
import { buildPool, type CandidatePool } from "./pool.ts";
import type { PathGuard } from "./protected.ts";

export type RepairInput = {
  issueText: string;
  root: string;
  /** One list of context windows per sampled location set. */
  windowSets: readonly ContextWindow[][];
  budget: AutofixConfig["repair"];
  registry: LanguageRegistry;
  isProtected: PathGuard;
  /** 0 for the first round; refinement rounds show the model what the tests said. */
  round: number;
  feedback?: { attempt: string; output: string };
};

export type RepairServices = { llm: Llm; signal?: AbortSignal };

export type SampledAnswer = { id: string; set: number; round: number; text: string };

export type RepairResult = {
  pool: CandidatePool;
  answers: SampledAnswer[];
  notes: string[];
  /** Set when the run's budget ran out mid-stage: the answers sampled before it are kept. */
  budgetExhausted?: string;
};

const MAX_EDIT_TOKENS = 3_000;
/** Room left in the prompt budget for the issue, the instructions and the feedback. */
const OVERHEAD_TOKENS = 2_000;

/**
 * Sample candidate patches for each location set (the first sample of the first set greedy, the rest
 * at the configured temperature), then parse, apply, check and group them (see pool.ts). A refinement
 * round samples once, over all windows, with the failing output of the best attempt.
 */
export async function repair(input: RepairInput, services: RepairServices): Promise<RepairResult> {
  const { budget } = input;
  const sets = input.feedback ? [input.windowSets.flat()] : input.windowSets;
  const original = readWindowFiles(input.root, sets.flat());
  const answers: SampledAnswer[] = [];
  const notes: string[] = [];
  let budgetExhausted: string | undefined;
  for (const [set, windows] of sets.entries()) {
    const messages = promptFor(input, windows, original);
    if (countPromptTokens(messages) > budget.maxPromptTokens) {
      notes.push(
        `location set ${set + 1}: the prompt is over repair.maxPromptTokens even with one window; skipped`,
      );
      continue;
    }
    const ask = async (n: number, temperature: number) => {
      if (n <= 0) return;
      const completion = await services.llm.complete({
        stage: input.feedback ? "repair.refine" : "repair.sample",
        messages,
        n,
        temperature,
        maxTokens: MAX_EDIT_TOKENS,
        ...(services.signal ? { signal: services.signal } : {}),
      });
      for (const text of completion.texts) {
        answers.push({
          id: `r${input.round}s${set + 1}c${answers.filter((a) => a.set === set).length + 1}`,
          set,
          round: input.round,
          text,
        });
      }
    };
    const greedyFirst = set === 0 && input.round === 0;
    try {
      if (greedyFirst) await ask(1, 0);
      await ask(budget.candidatesPerSet - (greedyFirst ? 1 : 0), budget.temperature);
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      budgetExhausted = error.message;
      notes.push(`sampling stopped at location set ${set + 1}: ${error.message}`);
      break;
    }
  }
  const pool = await buildPool(answers, {
    registry: input.registry,
    original,
    isProtected: input.isProtected,
  });
  return { pool, answers, notes, ...(budgetExhausted ? { budgetExhausted } : {}) };
}

function promptFor(
  input: RepairInput,
  windows: readonly ContextWindow[],
  files: ReadonlyMap<string, string>,
): ChatMessage[] {
  const code = renderExcerpts(windows, files, input.budget.maxPromptTokens - OVERHEAD_TOKENS).text;
  const issue = fenced("Issue", input.issueText);
  if (!input.feedback) return fillTemplate(loadTemplate("repair"), { issue, code });
  return fillTemplate(loadTemplate("refine"), {
    issue,
    code,
    attempt: fenced("Attempt (unified diff)", input.feedback.attempt, "diff"),
    feedback: fenced("Test output", input.feedback.output),
  });
}

/** Every file a window shows, whole: edits are applied to the full text. */
function readWindowFiles(root: string, windows: readonly ContextWindow[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const window of windows) {
    if (files.has(window.path)) continue;
    try {
      files.set(window.path, readFileSync(path.join(root, window.path), "utf8"));
    } catch {
      // A file that cannot be read is not offered for editing; an edit to it is refused as missing.
    }
  }
  return files;
}
