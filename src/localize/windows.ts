import type { CodeIndex } from "../code-index/code-index.ts";
import type { WeightedTerm } from "../code-index/search-index.ts";
import { codeTerms } from "../code-index/tokenize.ts";
import type { RankedElement } from "./rank-elements.ts";

/** A line range the repair stage may edit (1-based, inclusive). */
export interface EditLocation {
  path: string;
  startLine: number;
  endLine: number;
  /** The element it lies in, when known. */
  element?: string;
}

/** What repair is shown: edit locations widened by the context lines, merged per file. */
export interface ContextWindow {
  path: string;
  startLine: number;
  endLine: number;
}

/**
 * Retrieval's edit locations: the best elements, whole when short; a long element is narrowed to the
 * `maxSpan` lines that hold the most query weight (frame lines weigh most).
 */
export function locationsFromElements(
  index: CodeIndex,
  elements: readonly RankedElement[],
  terms: readonly WeightedTerm[],
  frameLines: ReadonlyMap<string, readonly number[]>,
  limit: number,
  maxSpan = 40,
): EditLocation[] {
  const weights = new Map(terms.map(({ term, weight }) => [term, weight]));
  const textCache = new Map<string, string[]>();
  const locations: EditLocation[] = [];
  for (const element of elements.slice(0, limit)) {
    const base = { path: element.path, element: element.qualifiedName };
    const span = element.endLine - element.startLine + 1;
    if (span <= maxSpan) {
      locations.push({ ...base, startLine: element.startLine, endLine: element.endLine });
      continue;
    }
    let lines = textCache.get(element.path);
    if (!lines) {
      lines = (index.read(element.path) ?? "").split("\n");
      textCache.set(element.path, lines);
    }
    const frames = new Set(frameLines.get(element.path) ?? []);
    const lineWeight = (line: number) =>
      (frames.has(line) ? 100 : 0) +
      codeTerms(lines[line - 1] ?? "").reduce((sum, term) => sum + (weights.get(term) ?? 0), 0);
    const start = bestWindowStart(element.startLine, element.endLine, maxSpan, lineWeight);
    locations.push({ ...base, startLine: start, endLine: start + maxSpan - 1 });
  }
  return locations;
}

/** Sliding window of `size` lines within [first, last] maximizing the summed weight (ties: earliest). */
function bestWindowStart(
  first: number,
  last: number,
  size: number,
  weight: (line: number) => number,
): number {
  const values: number[] = [];
  for (let line = first; line <= last; line++) values.push(weight(line));
  let sum = values.slice(0, size).reduce((a, b) => a + b, 0);
  let best = sum;
  let bestStart = first;
  for (let i = size; i < values.length; i++) {
    sum += (values[i] ?? 0) - (values[i - size] ?? 0);
    if (sum > best) {
      best = sum;
      bestStart = first + i - size + 1;
    }
  }
  return bestStart;
}

/** Locations ± `contextLines`, clipped to the file, overlapping ones merged. */
export function contextWindows(
  index: CodeIndex,
  locations: readonly EditLocation[],
  contextLines: number,
): ContextWindow[] {
  const byPath = new Map<string, ContextWindow[]>();
  for (const location of locations) {
    const lineCount = index.file(location.path)?.lineCount ?? location.endLine;
    const list = byPath.get(location.path) ?? [];
    list.push({
      path: location.path,
      startLine: Math.max(1, location.startLine - contextLines),
      endLine: Math.min(Math.max(lineCount, 1), location.endLine + contextLines),
    });
    byPath.set(location.path, list);
  }
  const merged: ContextWindow[] = [];
  for (const list of byPath.values()) {
    list.sort((a, b) => a.startLine - b.startLine);
    for (const window of list) {
      const last = merged.at(-1);
      if (last && last.path === window.path && window.startLine <= last.endLine + 1) {
        last.endLine = Math.max(last.endLine, window.endLine);
      } else {
        merged.push({ ...window });
      }
    }
  }
  return merged;
}
