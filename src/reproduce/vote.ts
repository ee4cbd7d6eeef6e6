import type { LanguageRegistry } from "../code-index/languages.ts";
import { normalizeText } from "../repair/normalize.ts";

export type VoteEntry = { path: string; text: string };

export type TestGroup<T> = { representative: T; votes: number; members: T[] };

/**
 * Equivalent sampled tests (equal once comments and formatting are normalized away) form one group
 * whose size is its vote; most votes first, earliest sampled first on a tie. Each group runs once.
 */
export async function groupTests<T extends VoteEntry>(
  registry: LanguageRegistry,
  entries: readonly T[],
): Promise<TestGroup<T>[]> {
  const groups = new Map<string, TestGroup<T> & { order: number }>();
  for (const [order, entry] of entries.entries()) {
    // The file name differs per sample; only the content decides equivalence.
    const key = await normalizeText(registry, `repro${extensionOf(entry.path)}`, entry.text);
    const group = groups.get(key);
    if (group) {
      group.votes++;
      group.members.push(entry);
    } else {
      groups.set(key, { representative: entry, votes: 1, members: [entry], order });
    }
  }
  return [...groups.values()]
    .sort((a, b) => b.votes - a.votes || a.order - b.order)
    .map(({ representative, votes, members }) => ({ representative, votes, members }));
}

function extensionOf(path: string): string {
  return /\.[^./]+$/.exec(path)?.[0] ?? "";
}
