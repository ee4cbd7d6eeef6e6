import type { CodeIndex } from "../code-index/code-index.ts";
import { cutToTokens } from "../llm/cut-text.ts";
import type { Llm } from "../llm/llm.ts";
import { retrieve } from "./retrieve.ts";
import type { StageContext } from "./stages/context.ts";
import { elementStage } from "./stages/element-stage.ts";
import { fileStage } from "./stages/file-stage.ts";
import { lineStage } from "./stages/line-stage.ts";
import type { IssueText, Localization, LocalizationBudget } from "./types.ts";
import { contextWindows } from "./windows.ts";

export interface LocalizeOptions {
  issue: IssueText;
  index: CodeIndex;
  budget: LocalizationBudget;
  /** Without a model, every stage falls back to retrieval (and reports what its prompt would cost). */
  llm?: Llm;
  promptsDir?: string;
  signal?: AbortSignal;
}

/** How many retrieved files the candidate list keeps for the report. */
const CANDIDATES = 20;
/**
 * The issue text may take at most this share of a localization prompt; the repository tree,
 * skeletons or code get the rest. Retrieval still reads the whole issue.
 */
const ISSUE_SHARE = 0.5;

/** Repository → files → elements → lines, each stage under the budget, each counting its tokens. */
export async function localize(options: LocalizeOptions): Promise<Localization> {
  const { index, budget } = options;
  const issueText = [options.issue.title?.trim(), options.issue.body.trim()].filter(Boolean).join("\n\n");
  const retrieval = retrieve(index, issueText, { elementFiles: budget.maxFiles });
  const promptIssue = cutToTokens(issueText, Math.floor(budget.maxPromptTokens * ISSUE_SHARE), "issue text");
  const context: StageContext = {
    index,
    issueText: promptIssue.notice ? `${promptIssue.text}\n${promptIssue.notice}` : issueText,
    budget,
    retrieval,
    llm: options.llm,
    promptsDir: options.promptsDir,
    signal: options.signal,
  };
  const filesStage = await fileStage(context);
  const elementsStage = await elementStage(context, filesStage.files);
  const linesStage = await lineStage(context, elementsStage.elements);
  const windows = contextWindows(index, linesStage.locationSets.flat(), budget.contextLines);
  return {
    files: filesStage.files,
    candidateFiles: retrieval.files.slice(0, CANDIDATES),
    elements: elementsStage.elements,
    locationSets: linesStage.locationSets,
    windows,
    stages: [filesStage.report, elementsStage.report, linesStage.report],
    notices: promptIssue.notice
      ? [...retrieval.notices, `localization prompts show part of the issue: ${promptIssue.notice}`]
      : retrieval.notices,
  };
}
