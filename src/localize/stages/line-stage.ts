import { extractLines } from "../../llm/extract.ts";
import { countPromptTokens } from "../../llm/tokens.ts";
import { matchLocation } from "../match-answers.ts";
import { loadPrompt, renderPrompt, untrustedBlock } from "../prompts.ts";
import type { RankedElement } from "../rank-elements.ts";
import type { StageReport } from "../types.ts";
import { contextWindows, type EditLocation, locationsFromElements } from "../windows.ts";
import { askModel, emptyReport, fitStagePrompt, type StageContext } from "./context.ts";

/** Lines of one element shown to the model at most (long ones are narrowed to where the issue's words are). */
const SHOWN_SPAN = 80;
const SAMPLE_TEMPERATURE = 0.8;

/**
 * Line level: the model reads the chosen elements' code with line numbers and names edit locations,
 * `locationSets` samples at once; each sample, matched to real lines, is one location set. Without a
 * model (or for a sample that named nothing real), retrieval's locations form the set.
 */
export async function lineStage(
  context: StageContext,
  elements: readonly RankedElement[],
): Promise<{ locationSets: EditLocation[][]; report: StageReport }> {
  const report = emptyReport("localize.lines");
  const { budget, retrieval, index } = context;
  const fallback = locationsFromElements(
    index,
    elements,
    retrieval.signals.terms,
    retrieval.frameLines,
    budget.maxEditLocations,
  );
  if (elements.length === 0) return { locationSets: fallback.length > 0 ? [fallback] : [], report };

  const template = loadPrompt("line-level", context.promptsDir);
  const issue = untrustedBlock("Issue", context.issueText);
  let shown = [...elements];
  let messages = renderPrompt(template, {
    issue,
    code: numberedCode(context, shown),
    maxEditLocations: budget.maxEditLocations,
  });
  while (shown.length > 1 && countPromptTokens(messages) > budget.maxPromptTokens) {
    shown = shown.slice(0, -1);
    messages = renderPrompt(template, {
      issue,
      code: numberedCode(context, shown),
      maxEditLocations: budget.maxEditLocations,
    });
  }
  if (shown.length < elements.length)
    report.notes.push(`${elements.length - shown.length} element(s) left out to fit the prompt budget`);
  messages = fitStagePrompt(
    context,
    report,
    template,
    [
      {
        name: "issue",
        text: context.issueText,
        what: "issue text",
        wrap: (text) => untrustedBlock("Issue", text),
      },
      { name: "code", text: numberedCode(context, shown), what: "code" },
    ],
    { maxEditLocations: budget.maxEditLocations },
  );
  const samples = budget.locationSets;
  const texts = await askModel(context, report, {
    stage: "localize.lines",
    messages,
    n: samples,
    temperature: samples > 1 ? SAMPLE_TEMPERATURE : 0,
    maxTokens: 600,
  });
  if (texts.length === 0) return { locationSets: fallback.length > 0 ? [fallback] : [], report };
  const sets = texts.map((text) => {
    const set: EditLocation[] = [];
    for (const answer of extractLines(text)) {
      const match = matchLocation(answer, index, retrieval.resolver);
      if (match.kind === "dropped") {
        report.dropped.push(answer);
        continue;
      }
      if (match.kind === "corrected") report.corrected.push({ answer, matched: match.matched });
      const { file, startLine, endLine } = match.value;
      set.push({ path: file.path, startLine, endLine });
      if (set.length >= budget.maxEditLocations) break;
    }
    return set.length > 0 ? set : fallback;
  });
  return { locationSets: sets.filter((set) => set.length > 0), report };
}

/** The elements' code, narrowed and merged per file, each line prefixed with its number. */
function numberedCode(context: StageContext, elements: readonly RankedElement[]): string {
  const { index, retrieval } = context;
  const spans = locationsFromElements(
    index,
    elements,
    retrieval.signals.terms,
    retrieval.frameLines,
    elements.length,
    SHOWN_SPAN,
  );
  const windows = contextWindows(index, spans, 2);
  const blocks: string[] = [];
  const byPath = new Map<string, string[]>();
  for (const window of windows) {
    let lines = byPath.get(window.path);
    if (!lines) {
      lines = (index.read(window.path) ?? "").split("\n");
      byPath.set(window.path, lines);
    }
    const width = String(window.endLine).length;
    const body = lines
      .slice(window.startLine - 1, window.endLine)
      .map((line, i) => `${String(window.startLine + i).padStart(width)} | ${line}`)
      .join("\n");
    blocks.push(untrustedBlock(`${window.path} (lines ${window.startLine}-${window.endLine})`, body));
  }
  return blocks.join("\n\n");
}
