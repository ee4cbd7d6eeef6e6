import type { CodeIndex } from "../code-index/code-index.ts";
import { Bm25Builder } from "../code-index/search-index.ts";
import { whitespaceTerms } from "../code-index/tokenize.ts";

/**
 * The plain baseline: BM25 over whole files (the same files the index holds), text split on
 * whitespace and lower-cased, no code-aware splitting, no priors, no mentions; the query is the issue
 * split the same way.
 */
export function plainBm25Ranking(index: CodeIndex, issueText: string, limit = 10): string[] {
  const queryTerms = new Set(whitespaceTerms(issueText));
  const builder = new Bm25Builder({ fields: ["content"], boosts: { content: 1 } }, queryTerms);
  const paths: string[] = [];
  for (const file of index.files) {
    builder.add({ content: whitespaceTerms(index.read(file.path) ?? "") });
    paths.push(file.path);
  }
  const query = [...queryTerms].map((term) => ({ term, weight: 1 }));
  return builder
    .build()
    .search(query)
    .slice(0, limit)
    .flatMap((hit) => (paths[hit.id] === undefined ? [] : [paths[hit.id] as string]));
}
