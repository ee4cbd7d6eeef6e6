import type { LanguageRegistry } from "../code-index/languages.ts";
import { MAX_SOURCE_BYTES, readRepoFile } from "../config/repo-file.ts";
import type { AutofixConfig } from "../config/schema.ts";
import { BudgetExceededError } from "../llm/errors.ts";
import type { Llm } from "../llm/llm.ts";
import { type FittedPrompt, fitPrompt, type PromptPart } from "../llm/prompt-fit.ts";
import { fillTemplate, loadTemplate } from "../llm/prompt-template.ts";
import { countWithin } from "../llm/tokens.ts";
import { untrustedBlock } from "../localize/prompts.ts";
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
/** Room left in the prompt budget for the instructions. */
const OVERHEAD_TOKENS = 2_000;
/** Shares of the prompt the issue text, and each of the attempt and its test output, keep at most when cut. */
const ISSUE_SHARE = 0.25;
const FEEDBACK_SHARE = 0.15;

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
    const prompt = promptFor(input, windows, original);
    for (const cut of prompt.notes)
      notes.push(`location set ${set + 1}: cut to fit repair.maxPromptTokens: ${cut}`);
    if (!prompt.fits) {
      notes.push(`location set ${set + 1}: the prompt is over repair.maxPromptTokens even when cut; skipped`);
      continue;
    }
    const { messages } = prompt;
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

/**
 * The prompt within repair.maxPromptTokens: the issue, the attempt and the test output are cut first
 * (each to its share, with a visible notice), the code gets the rest, whole windows first.
 */
function promptFor(
  input: RepairInput,
  windows: readonly ContextWindow[],
  files: ReadonlyMap<string, string>,
): FittedPrompt {
  const max = input.budget.maxPromptTokens;
  const parts: PromptPart[] = [
    {
      name: "issue",
      text: input.issueText,
      what: "issue text",
      wrap: (text) => untrustedBlock("Issue", text),
      maxShare: ISSUE_SHARE,
    },
  ];
  if (input.feedback) {
    parts.push(
      {
        name: "attempt",
        text: input.feedback.attempt,
        what: "attempt",
        wrap: (text) => untrustedBlock("Attempt (unified diff)", text, "diff"),
        maxShare: FEEDBACK_SHARE,
      },
      {
        name: "feedback",
        text: input.feedback.output,
        what: "test output",
        wrap: (text) => untrustedBlock("Test output", text),
        maxShare: FEEDBACK_SHARE,
      },
    );
  }
  const taken = parts.reduce((sum, part) => {
    const cap = Math.floor((part.maxShare ?? 1) * max);
    return sum + (countWithin(part.text, cap) ?? cap);
  }, 0);
  const code = renderExcerpts(windows, files, max - OVERHEAD_TOKENS - taken).text;
  parts.push({ name: "code", text: code, what: "code" });
  const template = loadTemplate(input.feedback ? "refine" : "repair");
  return fitPrompt({ render: (values) => fillTemplate(template, values), parts, maxPromptTokens: max });
}

/** Every file a window shows, whole: edits are applied to the full text. */
function readWindowFiles(root: string, windows: readonly ContextWindow[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const window of windows) {
    if (files.has(window.path)) continue;
    // A file that cannot be read (or only through a link) is not offered for editing; an edit to
    // it is refused as missing.
    const text = readRepoFile(root, window.path, MAX_SOURCE_BYTES);
    if (text !== undefined) files.set(window.path, text);
  }
  return files;
}
