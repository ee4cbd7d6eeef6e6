import { extractLines } from "../../llm/extract.ts";
import { countPromptTokens, countTextTokens } from "../../llm/tokens.ts";
import { matchElement } from "../match-answers.ts";
import { loadPrompt, renderPrompt, untrustedBlock } from "../prompts.ts";
import { type RankedElement, rankElements } from "../rank-elements.ts";
import type { RankedFile } from "../rank-files.ts";
import type { StageReport } from "../types.ts";
import { askModel, clipToTokens, emptyReport, fitStagePrompt, type StageContext } from "./context.ts";

/**
 * Element level: the model reads the skeletons of the chosen files and names classes, functions and
 * methods; its answers, matched to real elements, come first, and retrieval's ranking of the chosen
 * files' elements fills the rest of the budget (maxElements).
 */
export async function elementStage(
  context: StageContext,
  files: readonly RankedFile[],
): Promise<{ elements: RankedElement[]; report: StageReport }> {
  const report = emptyReport("localize.elements");
  const { budget, retrieval, index } = context;
  const ranked = rankElements(index, retrieval.signals, files, retrieval.resolver, retrieval.definitions);
  const withElements = files.filter((file) => (index.file(file.path)?.elements.length ?? 0) > 0);
  if (withElements.length === 0) {
    report.notes.push("no parsed elements in the chosen files (unsupported language?): elements skipped");
    return { elements: [], report };
  }
  const template = loadPrompt("element-level", context.promptsDir);
  const issue = untrustedBlock("Issue", context.issueText);
  const base = countPromptTokens(
    renderPrompt(template, { issue, skeletons: "", maxElements: budget.maxElements }),
  );
  const perFile = Math.max(200, Math.floor((budget.maxPromptTokens - base - 100) / withElements.length) - 20);
  const skeletons: string[] = [];
  for (const file of withElements) {
    const skeleton = (await index.skeleton(file.path)) ?? "";
    skeletons.push(
      untrustedBlock(`Skeleton of ${file.path}`, clipToTokens(skeleton, perFile, countTextTokens)),
    );
  }
  const messages = fitStagePrompt(
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
      { name: "skeletons", text: skeletons.join("\n\n"), what: "file skeletons" },
    ],
    { maxElements: budget.maxElements },
  );
  const texts = await askModel(context, report, {
    stage: "localize.elements",
    messages,
    n: 1,
    temperature: 0,
    maxTokens: 800,
  });
  const picked: RankedElement[] = [];
  const seen = new Set<string>();
  for (const answer of texts.flatMap((text) => extractLines(text))) {
    const match = matchElement(answer, index, retrieval.resolver);
    if (match.kind === "dropped") {
      report.dropped.push(answer);
      continue;
    }
    if (match.kind === "corrected") report.corrected.push({ answer, matched: match.matched });
    const { file, element } = match.value;
    const key = `${file.path}::${element.qualifiedName}::${element.startLine}`;
    if (seen.has(key)) continue;
    seen.add(key);
    picked.push({
      path: file.path,
      qualifiedName: element.qualifiedName,
      kind: element.kind,
      startLine: element.startLine,
      endLine: element.endLine,
      score: 0,
      reasons: ["model"],
    });
  }
  for (const element of ranked) {
    const key = `${element.path}::${element.qualifiedName}::${element.startLine}`;
    if (!seen.has(key)) {
      seen.add(key);
      picked.push(element);
    }
  }
  return { elements: picked.slice(0, budget.maxElements), report };
}
