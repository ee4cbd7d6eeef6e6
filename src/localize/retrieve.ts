import type { CodeIndex } from "../code-index/code-index.ts";
import { DefinitionTable } from "./definitions.ts";
import { type IssueSignals, issueSignals, type TermWeights } from "./issue-signals.ts";
import { ELEMENT_RANKING, type ElementRanking, type RankedElement, rankElements } from "./rank-elements.ts";
import { FILE_RANKING, type FileRanking, type RankedFile, rankFiles } from "./rank-files.ts";
import { MentionResolver } from "./resolve-mentions.ts";

export interface RetrievalOptions {
  /** Files whose elements are ranked (the element stage looks at this many). */
  elementFiles: number;
  fileRanking?: FileRanking;
  elementRanking?: ElementRanking;
  termWeights?: TermWeights;
}

export interface Retrieval {
  signals: IssueSignals;
  files: RankedFile[];
  elements: RankedElement[];
  /** Frame lines per resolved file (edit windows weigh them most). */
  frameLines: Map<string, number[]>;
  resolver: MentionResolver;
  definitions: DefinitionTable;
  notices: string[];
}

/** Retrieval alone: ranked files and the ranked elements of the best `elementFiles` of them. */
export function retrieve(index: CodeIndex, issueText: string, options: RetrievalOptions): Retrieval {
  const signals = issueSignals(issueText, options.termWeights);
  const resolver = new MentionResolver(index);
  const definitions = new DefinitionTable(index);
  const notices: string[] = [];
  if (signals.terms.length === 0)
    notices.push("The issue has no words to search for; nothing could be ranked.");
  else if (signals.terms.length < 3)
    notices.push("The issue is very short; the ranking rests on very little.");
  if (index.languages.length === 0) {
    notices.push(
      "No file in a supported language: files are ranked by path and text only, without elements.",
    );
  }
  const missing = signals.paths.filter((path) => resolver.resolvePath(path).length === 0);
  if (missing.length > 0)
    notices.push(`Named in the issue but not in the repository: ${missing.slice(0, 5).join(", ")}.`);

  const files = rankFiles(index, signals, resolver, definitions, options.fileRanking);
  const elements = rankElements(
    index,
    signals,
    files.slice(0, options.elementFiles),
    resolver,
    definitions,
    options.elementRanking ?? ELEMENT_RANKING,
  );
  const frameLines = new Map<string, number[]>();
  for (const frame of signals.frames) {
    if (frame.line === undefined) continue;
    for (const file of resolver.resolvePath(frame.path)) {
      frameLines.set(file.path, [...(frameLines.get(file.path) ?? []), frame.line]);
    }
  }
  return { signals, files, elements, frameLines, resolver, definitions, notices };
}

export { FILE_RANKING };
