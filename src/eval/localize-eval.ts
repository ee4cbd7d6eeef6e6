import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildCodeIndex } from "../code-index/build.ts";
import type { CodeIndex } from "../code-index/code-index.ts";
import type { LanguageRegistry } from "../code-index/languages.ts";
import { describeError, isAutofixError } from "../errors.ts";
import type { Llm } from "../llm/llm.ts";
import { localize } from "../localize/localize.ts";
import type { LocalizationBudget } from "../localize/types.ts";
import type { Snapshot, Workspace } from "../workspace/workspace.ts";
import { plainBm25Ranking } from "./baseline.ts";
import type { Instance } from "./dataset.ts";
import { baselineHits, instanceMetrics } from "./metrics.ts";
import { type Gold, goldLocations } from "./patch-gold.ts";
import type { InstanceResult } from "./report.ts";

export interface LocalizeEvalOptions {
  instances: readonly Instance[];
  /** `<reposDir>/<owner>/<name>` is a git directory (bare or not, a symlink is fine) holding the base commits. */
  reposDir: string;
  workspace: Workspace;
  cacheRoot: string;
  budget: LocalizationBudget;
  registry: LanguageRegistry;
  llm?: Llm;
  /** Keep each checked-out base commit in the cache (faster reruns, more disk). */
  keepSnapshots?: boolean;
  onResult?: (result: InstanceResult, position: number) => void;
}

/** Runs localization on every instance whose repository is present; the rest are skipped and counted. */
export async function evaluateLocalization(options: LocalizeEvalOptions): Promise<InstanceResult[]> {
  const results: InstanceResult[] = [];
  for (const [position, instance] of options.instances.entries()) {
    const result = await evaluateOne(instance, options);
    results.push(result);
    options.onResult?.(result, position);
  }
  return results;
}

async function evaluateOne(instance: Instance, options: LocalizeEvalOptions): Promise<InstanceResult> {
  const base = { instance_id: instance.instance_id, repo: instance.repo, source: instance.source };
  const repoDir = join(options.reposDir, ...instance.repo.split("/"));
  if (!existsSync(repoDir)) return { ...base, status: "skipped", skip_reason: "repository absent" };
  const started = performance.now();
  let snapshot: Snapshot | undefined;
  try {
    snapshot = await options.workspace.materialize(
      { kind: "local", path: repoDir },
      { commit: instance.base_commit },
    );
    const index = await buildCodeIndex({
      root: snapshot.root,
      cacheRoot: options.cacheRoot,
      identity: `${snapshot.repoKey}@${snapshot.commit}`,
      registry: options.registry,
    });
    const localization = await localize({
      issue: { body: instance.problem_statement },
      index,
      budget: options.budget,
      ...(options.llm ? { llm: options.llm } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    const gold = goldOf(instance, index, snapshot.root);
    if (gold.files.length === 0) {
      return { ...base, status: "skipped", skip_reason: "the patch changes no file of the base commit" };
    }
    const ranking = [
      ...new Set([...localization.files, ...localization.candidateFiles].map((file) => file.path)),
    ];
    const metrics = instanceMetrics(gold, ranking, localization);
    const baseline = plainBm25Ranking(index, instance.problem_statement, 5);
    const language = options.registry.languageOf(gold.files[0] ?? "") ?? "other";
    return {
      ...base,
      status: "evaluated",
      language,
      gold_files: gold.files,
      gold_elements: gold.elements.map((element) => `${element.path}::${element.qualifiedName}`),
      files: ranking.slice(0, 5),
      elements: localization.elements.map((element) => `${element.path}::${element.qualifiedName}`),
      file_hit_at_1: metrics.fileHitAt[1],
      file_hit_at_3: metrics.fileHitAt[3],
      file_hit_at_5: metrics.fileHitAt[5],
      function_recall: metrics.functionRecall,
      line_coverage: metrics.lineCoverage,
      window_lines: metrics.windowLines,
      prompt_tokens: localization.stages.reduce((sum, stage) => sum + stage.promptTokens, 0),
      prompt_tokens_by_stage: Object.fromEntries(
        localization.stages.map((stage) => [stage.stage, stage.promptTokens]),
      ),
      seconds,
      index_from_cache: index.stats.fromCache,
      baseline_files: baseline,
      baseline_hit_at_1: baselineHits(gold, baseline)[1],
      baseline_hit_at_3: baselineHits(gold, baseline)[3],
      baseline_hit_at_5: baselineHits(gold, baseline)[5],
      notices: localization.notices,
    };
  } catch (error) {
    const reason =
      isAutofixError(error) && error.code === "workspace.commit_not_found"
        ? "base commit not found"
        : `error: ${describeError(error)}`;
    return { ...base, status: "skipped", skip_reason: reason };
  } finally {
    if (snapshot && !options.keepSnapshots && !snapshot.cached) await options.workspace.release(snapshot);
  }
}

/** Gold files are the base files the patch changes, indexed or not (a skipped file is a miss, not a free pass). */
function goldOf(instance: Instance, index: CodeIndex, root: string): Gold {
  return goldLocations(instance.patch, (path) =>
    existsSync(join(root, path)) ? (index.file(path)?.elements ?? []) : undefined,
  );
}
