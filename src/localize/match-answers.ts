import type { CodeIndex } from "../code-index/code-index.ts";
import type { CodeElement, IndexedFile } from "../code-index/types.ts";
import type { MentionResolver } from "./resolve-mentions.ts";

/** A model's answer matched to what exists: exact, corrected to the closest real name, or dropped. */
export type Match<T> =
  | { kind: "exact"; value: T }
  | { kind: "corrected"; value: T; matched: string }
  | { kind: "dropped" };

/** Paths: exact, else the suffix resolution used for issue mentions, else the closest path by edit distance. */
export function matchFile(answer: string, index: CodeIndex, resolver: MentionResolver): Match<IndexedFile> {
  const cleaned = answer
    .trim()
    .replace(/^\.?\//, "")
    .replace(/[`'"]/g, "");
  if (!cleaned) return { kind: "dropped" };
  const exact = index.file(cleaned);
  if (exact) return { kind: "exact", value: exact };
  const resolved = resolver.resolvePath(cleaned, 1);
  if (resolved.length === 1 && resolved[0])
    return { kind: "corrected", value: resolved[0], matched: resolved[0].path };
  const closest = closestBy(index.files, (file) => file.path, cleaned, 0.25);
  return closest ? { kind: "corrected", value: closest, matched: closest.path } : { kind: "dropped" };
}

/** `path::Class.method` (also `path:Class.method`, `path Class.method`): the file first, then the element in it. */
export function matchElement(
  answer: string,
  index: CodeIndex,
  resolver: MentionResolver,
): Match<{ file: IndexedFile; element: CodeElement }> {
  const split = /^(.+?)(?:::|:(?!\d)|\s+)([\w.$<>]+)\s*(?:\(.*)?$/.exec(answer.trim().replace(/[`'"]/g, ""));
  if (!split?.[1] || !split[2]) return { kind: "dropped" };
  const file = matchFile(split[1], index, resolver);
  if (file.kind === "dropped") return file;
  const name = split[2].replace(/^(?:def|class|function)\s+/, "");
  const elements = file.value.elements;
  const exact = elements.find((element) => element.qualifiedName === name);
  const corrected = file.kind === "corrected";
  if (exact) {
    const value = { file: file.value, element: exact };
    return corrected
      ? { kind: "corrected", value, matched: `${file.value.path}::${name}` }
      : { kind: "exact", value };
  }
  const bySuffix = elements.filter(
    (element) => element.qualifiedName.endsWith(`.${name}`) || name.endsWith(`.${element.qualifiedName}`),
  );
  const candidate =
    bySuffix.length === 1 ? bySuffix[0] : closestBy(elements, (element) => element.qualifiedName, name, 0.2);
  if (!candidate) return { kind: "dropped" };
  return {
    kind: "corrected",
    value: { file: file.value, element: candidate },
    matched: `${file.value.path}::${candidate.qualifiedName}`,
  };
}

/** `path:START-END` or `path:LINE` (also `path line 12`), clamped to the file. */
export function matchLocation(
  answer: string,
  index: CodeIndex,
  resolver: MentionResolver,
): Match<{ file: IndexedFile; startLine: number; endLine: number }> {
  const parts = /^(.+?)(?::|\s+lines?\s+|#L)(\d+)(?:\s*[-–:]\s*L?(\d+))?/.exec(
    answer.trim().replace(/[`'"]/g, ""),
  );
  if (!parts?.[1] || !parts[2]) return { kind: "dropped" };
  const file = matchFile(parts[1], index, resolver);
  if (file.kind === "dropped") return file;
  const first = Number(parts[2]);
  const last = parts[3] ? Number(parts[3]) : first;
  const lineCount = Math.max(file.value.lineCount, 1);
  if (first > lineCount || last < first) return { kind: "dropped" };
  const value = { file: file.value, startLine: Math.max(1, first), endLine: Math.min(last, lineCount) };
  return file.kind === "corrected" || last > lineCount
    ? { kind: "corrected", value, matched: `${file.value.path}:${value.startLine}-${value.endLine}` }
    : { kind: "exact", value };
}

/** The item whose key is closest to `wanted` by edit distance, if within `maxRatio` of its length. */
function closestBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  wanted: string,
  maxRatio: number,
): T | undefined {
  const limit = Math.max(1, Math.floor(wanted.length * maxRatio));
  let best: T | undefined;
  let bestDistance = limit + 1;
  for (const item of items) {
    const candidate = key(item);
    if (Math.abs(candidate.length - wanted.length) > limit) continue;
    const distance = editDistance(candidate, wanted, bestDistance);
    if (distance < bestDistance) {
      best = item;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance, giving up (returning `ceiling`) once it cannot be below it. */
export function editDistance(a: string, b: string, ceiling = Number.POSITIVE_INFINITY): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= ceiling) return ceiling;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
