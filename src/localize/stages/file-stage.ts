import { extractLines } from "../../llm/extract.ts";
import { countPromptTokens } from "../../llm/tokens.ts";
import { matchFile } from "../match-answers.ts";
import { loadPrompt, renderPrompt, untrustedBlock } from "../prompts.ts";
import type { RankedFile } from "../rank-files.ts";
import { renderRepoTree } from "../repo-tree.ts";
import type { StageReport } from "../types.ts";
import { askModel, emptyReport, fitStagePrompt, type StageContext } from "./context.ts";

/** The repo tree never takes more than this, whatever the prompt budget (the rest is the issue). */
export const TREE_TOKENS = 8_000;
/** Retrieval's files that steer which folders the tree expands. */
const TREE_RELEVANT_FILES = 50;
/** Reciprocal-rank fusion constant: small, so first places weigh. */
const FUSION_K = 3;
/**
 * The model read the issue and the tree; retrieval only matched words. Its picks count 1.5× (a choice,
 * not a measurement: no model can be run here to tune it).
 */
const MODEL_WEIGHT = 1.5;

/**
 * File level: the model reads the issue and the repository tree (pruned to the budget, expanded where
 * retrieval points) and names files; its answers, matched to real paths, are fused with retrieval's
 * ranking. Without a model, retrieval's ranking stands.
 */
export async function fileStage(
  context: StageContext,
): Promise<{ files: RankedFile[]; report: StageReport }> {
  const report = emptyReport("localize.files");
  const { budget, retrieval, index } = context;
  const template = loadPrompt("file-level", context.promptsDir);
  const issue = untrustedBlock("Issue", context.issueText);
  const base = countPromptTokens(renderPrompt(template, { issue, tree: "", maxFiles: budget.maxFiles }));
  const treeBudget = Math.max(200, Math.min(TREE_TOKENS, budget.maxPromptTokens - base - 50));
  const relevance = new Map(
    retrieval.files.slice(0, TREE_RELEVANT_FILES).map((file) => [file.path, file.score]),
  );
  const tree = renderRepoTree(
    index.files.map((file) => file.path),
    relevance,
    treeBudget,
  );
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
      {
        name: "tree",
        text: tree,
        what: "repository tree",
        wrap: (text) => untrustedBlock("Repository structure", text),
      },
    ],
    { maxFiles: budget.maxFiles },
  );
  const texts = await askModel(context, report, {
    stage: "localize.files",
    messages,
    n: 1,
    temperature: 0,
    maxTokens: 400,
  });
  const picked: string[] = [];
  for (const answer of texts.flatMap((text) => extractLines(text))) {
    const match = matchFile(answer, index, retrieval.resolver);
    if (match.kind === "dropped") report.dropped.push(answer);
    else {
      if (match.kind === "corrected") report.corrected.push({ answer, matched: match.matched });
      if (!picked.includes(match.value.path)) picked.push(match.value.path);
    }
  }
  return { files: fuse(picked, retrieval.files).slice(0, budget.maxFiles), report };
}

/** Reciprocal-rank fusion of the model's picks and retrieval's ranking (retrieval breaks ties). */
export function fuse(modelPicks: readonly string[], retrieved: readonly RankedFile[]): RankedFile[] {
  if (modelPicks.length === 0) return [...retrieved];
  const byPath = new Map(retrieved.map((file, rank) => [file.path, { file, rank }]));
  const scores = new Map<string, number>();
  retrieved.forEach((file, rank) => {
    scores.set(file.path, 1 / (FUSION_K + rank + 1));
  });
  modelPicks.forEach((path, rank) => {
    scores.set(path, (scores.get(path) ?? 0) + MODEL_WEIGHT / (FUSION_K + rank + 1));
  });
  return [...scores]
    .map(([path, score]) => {
      const retrievedFile = byPath.get(path)?.file;
      const reasons = [...(retrievedFile?.reasons ?? []), ...(modelPicks.includes(path) ? ["model"] : [])];
      return { path, score, reasons, tie: byPath.get(path)?.rank ?? Number.POSITIVE_INFINITY };
    })
    .sort((a, b) => b.score - a.score || a.tie - b.tie)
    .map(({ path, score, reasons }) => ({ path, score, reasons }));
}
