import type { Localization } from "../localize/types.ts";
import type { Gold } from "./patch-gold.ts";

export interface InstanceMetrics {
  /** Gold files all within the top k files (k = 1, 3, 5). */
  fileHitAt: { 1: boolean; 3: boolean; 5: boolean };
  /** Gold elements among the elements handed to repair; undefined when the patch touches no element. */
  functionRecall: number | undefined;
  /** Gold lines inside the repair context windows; undefined when there are no gold lines. */
  lineCoverage: number | undefined;
  /** Lines shown to repair (sum of window lengths). */
  windowLines: number;
}

/** `ranking` is the ordered file list (the eval ranks past maxFiles to compute acc@5). */
export function instanceMetrics(
  gold: Gold,
  ranking: readonly string[],
  localization: Localization,
): InstanceMetrics {
  const hitAt = (k: number) => gold.files.every((path) => ranking.slice(0, k).includes(path));
  const handed = new Set(localization.elements.map((element) => `${element.path}::${element.qualifiedName}`));
  const found = gold.elements.filter((element) =>
    handed.has(`${element.path}::${element.qualifiedName}`),
  ).length;
  let goldLines = 0;
  let covered = 0;
  for (const [path, lines] of gold.lines) {
    const windows = localization.windows.filter((window) => window.path === path);
    for (const line of lines) {
      goldLines++;
      if (windows.some((window) => window.startLine <= line && line <= window.endLine)) covered++;
    }
  }
  return {
    fileHitAt: { 1: hitAt(1), 3: hitAt(3), 5: hitAt(5) },
    functionRecall: gold.elements.length === 0 ? undefined : found / gold.elements.length,
    lineCoverage: goldLines === 0 ? undefined : covered / goldLines,
    windowLines: localization.windows.reduce((sum, window) => sum + window.endLine - window.startLine + 1, 0),
  };
}

export function baselineHits(gold: Gold, ranking: readonly string[]): { 1: boolean; 3: boolean; 5: boolean } {
  const hitAt = (k: number) => gold.files.every((path) => ranking.slice(0, k).includes(path));
  return { 1: hitAt(1), 3: hitAt(3), 5: hitAt(5) };
}

export function mean(values: readonly (number | undefined)[]): number | undefined {
  const defined = values.filter((value): value is number => value !== undefined);
  return defined.length === 0 ? undefined : defined.reduce((a, b) => a + b, 0) / defined.length;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
