import { countTextTokens, headTokens } from "./tokens.ts";

export interface CutText {
  text: string;
  /** Tokens of the whole text. */
  totalTokens: number;
  /** Tokens kept (equal to totalTokens when nothing was cut). */
  shownTokens: number;
  /** The visible notice for a prompt, or undefined when the text was kept whole. */
  notice: string | undefined;
}

/**
 * Keeps at most `maxTokens` tokens of `text`; `what` names it in the notice a cut leaves, e.g.
 * `[… issue text cut: 8,000 of 262,144 tokens shown]`.
 */
export function cutToTokens(
  text: string,
  maxTokens: number,
  what: string,
  totalTokens = countTextTokens(text),
): CutText {
  if (totalTokens <= maxTokens) return { text, totalTokens, shownTokens: totalTokens, notice: undefined };
  const kept = headTokens(text, Math.max(0, maxTokens));
  const shownTokens = countTextTokens(kept);
  return { text: kept, totalTokens, shownTokens, notice: cutNotice(what, shownTokens, totalTokens) };
}

export function cutNotice(what: string, shown: number, total: number): string {
  const show = (value: number) => value.toLocaleString("en-US");
  return `[… ${what} cut: ${show(shown)} of ${show(total)} tokens shown]`;
}

/** The text cut to `maxTokens`, with the notice appended on its own line when something was cut. */
export function cutWithNotice(text: string, maxTokens: number, what: string): string {
  const cut = cutToTokens(text, maxTokens, what);
  return cut.notice === undefined ? cut.text : `${cut.text}\n${cut.notice}`;
}
