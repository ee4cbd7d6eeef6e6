import type { CodeIndex } from "../code-index/code-index.ts";
import type { ElementKind } from "../code-index/types.ts";
import type { DefinitionTable } from "./definitions.ts";
import type { IssueSignals } from "./issue-signals.ts";
import type { RankedFile } from "./rank-files.ts";
import type { MentionResolver } from "./resolve-mentions.ts";

export interface RankedElement {
  path: string;
  qualifiedName: string;
  kind: ElementKind;
  startLine: number;
  endLine: number;
  score: number;
  reasons: string[];
}

/**
 * How evidence adds up for an element of the chosen files: BM25 over the elements of those files
 * (normalized to [0, 1]), a stack frame whose line falls inside it, its name written in the issue; the
 * sum is scaled by its file's standing and its kind.
 */
export const ELEMENT_RANKING = {
  text: 1,
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
  fields: { name: 3, content: 1 },
  frameLine: 1.5,
  frameFunction: 0.6,
  named: 0.6,
  qualifiedName: 1,
  /** score × (fileFloor + (1 − fileFloor) × fileScore / bestFileScore) */
  fileFloor: 0.5,
  kind: { method: 1, function: 1, class: 0.7, variable: 0.4 } satisfies Record<ElementKind, number>,
  /**
   * A class scores at least this share of its best-scoring member: a fix that adds a method or changes
   * a class attribute edits the class body, not the methods the issue's words point at.
   */
  memberShare: 0.5,
};

export type ElementRanking = typeof ELEMENT_RANKING;

export function rankElements(
  index: CodeIndex,
  signals: IssueSignals,
  files: readonly RankedFile[],
  resolver: MentionResolver,
  definitions: DefinitionTable,
  params: ElementRanking = ELEMENT_RANKING,
): RankedElement[] {
  const fileScore = new Map(files.map((file) => [file.path, file.score]));
  const bestFile = files[0]?.score ?? 1;
  const evidence = new Map<string, { element: RankedElement; reasons: Map<string, number> }>();
  const note = (
    path: string,
    element: RankedElement["qualifiedName"],
    startLine: number,
    reason: string,
    amount: number,
  ) => {
    const key = `${path}\u0000${element}\u0000${startLine}`;
    const entry = evidence.get(key);
    if (entry) entry.reasons.set(reason, Math.max(entry.reasons.get(reason) ?? 0, amount));
  };
  for (const ranked of files) {
    for (const element of index.file(ranked.path)?.elements ?? []) {
      const key = `${ranked.path}\u0000${element.qualifiedName}\u0000${element.startLine}`;
      evidence.set(key, {
        element: { path: ranked.path, ...pick(element), score: 0, reasons: [] },
        reasons: new Map(),
      });
    }
  }

  const hits = index.searchElements(
    signals.terms,
    files.map((file) => file.path),
    params.bm25,
    params.fields,
  );
  const best = hits[0]?.score ?? 0;
  for (const hit of hits) {
    if (best > 0)
      note(
        hit.file.path,
        hit.element.qualifiedName,
        hit.element.startLine,
        "text",
        (params.text * hit.score) / best,
      );
  }
  for (const frame of signals.frames) {
    for (const file of resolver.resolvePath(frame.path)) {
      if (!fileScore.has(file.path)) continue;
      const innermost = frame.line === undefined ? undefined : innermostAt(file.elements, frame.line);
      if (innermost)
        note(file.path, innermost.qualifiedName, innermost.startLine, "frame line", params.frameLine);
      for (const element of file.elements) {
        if (frame.functionName && element.name === frame.functionName) {
          note(file.path, element.qualifiedName, element.startLine, "frame function", params.frameFunction);
        }
      }
    }
  }
  for (const identifier of signals.identifiers) {
    for (const { file, element } of definitions.named(identifier)) {
      if (fileScore.has(file.path))
        note(file.path, element.qualifiedName, element.startLine, "named", params.named);
    }
  }
  for (const dotted of signals.dottedNames) {
    for (const { file, element } of definitions.qualified(dotted)) {
      if (fileScore.has(file.path))
        note(file.path, element.qualifiedName, element.startLine, "qualified name", params.qualifiedName);
    }
    const module = resolver.resolveDotted(dotted);
    if (module?.rest && fileScore.has(module.file.path)) {
      for (const element of module.file.elements) {
        if (element.qualifiedName === module.rest) {
          note(
            module.file.path,
            element.qualifiedName,
            element.startLine,
            "qualified name",
            params.qualifiedName,
          );
        }
      }
    }
  }

  const ranked: RankedElement[] = [];
  for (const { element, reasons } of evidence.values()) {
    let sum = 0;
    for (const amount of reasons.values()) sum += amount;
    if (sum === 0) continue;
    const standing =
      params.fileFloor + ((1 - params.fileFloor) * (fileScore.get(element.path) ?? 0)) / (bestFile || 1);
    ranked.push({
      ...element,
      score: sum * standing * params.kind[element.kind],
      reasons: [...reasons.keys()],
    });
  }
  if (params.memberShare > 0) liftEnclosingClasses(ranked, evidence, params.memberShare);
  return ranked.sort(
    (a, b) => b.score - a.score || a.path.localeCompare(b.path) || a.startLine - b.startLine,
  );
}

function liftEnclosingClasses(
  ranked: RankedElement[],
  evidence: ReadonlyMap<string, { element: RankedElement }>,
  share: number,
): void {
  const classes = new Map<string, RankedElement>();
  for (const { element } of evidence.values()) {
    if (element.kind === "class") classes.set(`${element.path}\u0000${element.qualifiedName}`, element);
  }
  const bestMember = new Map<string, number>();
  for (const element of ranked) {
    const dot = element.qualifiedName.lastIndexOf(".");
    if (dot < 0) continue;
    const key = `${element.path}\u0000${element.qualifiedName.slice(0, dot)}`;
    if (classes.has(key)) bestMember.set(key, Math.max(bestMember.get(key) ?? 0, element.score));
  }
  const byKey = new Map(ranked.map((element) => [`${element.path}\u0000${element.qualifiedName}`, element]));
  for (const [key, memberScore] of bestMember) {
    const lifted = share * memberScore;
    const existing = byKey.get(key);
    if (existing) {
      if (existing.score < lifted) {
        existing.score = lifted;
        existing.reasons.push("members");
      }
      continue;
    }
    const element = classes.get(key);
    if (element) ranked.push({ ...element, score: lifted, reasons: ["members"] });
  }
}

function pick(element: { qualifiedName: string; kind: ElementKind; startLine: number; endLine: number }) {
  return {
    qualifiedName: element.qualifiedName,
    kind: element.kind,
    startLine: element.startLine,
    endLine: element.endLine,
  };
}

/** The smallest element whose span holds the line. */
export function innermostAt<T extends { startLine: number; endLine: number }>(
  elements: readonly T[],
  line: number,
): T | undefined {
  let best: T | undefined;
  for (const element of elements) {
    if (element.startLine <= line && line <= element.endLine) {
      if (!best || element.endLine - element.startLine < best.endLine - best.startLine) best = element;
    }
  }
  return best;
}
