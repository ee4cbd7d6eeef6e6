import { cutToTokens } from "./cut-text.ts";
import type { ChatMessage } from "./llm.ts";
import { countPromptTokens, countTextTokens } from "./tokens.ts";

/** One variable part of a prompt: the issue text, code, a test file, test output… */
export interface PromptPart {
  /** The template placeholder it fills. */
  name: string;
  text: string;
  /** Names it in the notice a cut leaves: `issue text` → `[… issue text cut: N of M tokens shown]`. */
  what: string;
  /** Wraps the (cut) text for the prompt, e.g. as a fenced block; the notice goes after it. */
  wrap?: (text: string) => string;
  /**
   * When cutting, the share (0–1) of the room for variable parts this part gets at first; the
   * others' unused room comes back to it. Default: no limit beyond an equal share.
   */
  maxShare?: number;
}

export interface FitRequest {
  render: (values: Readonly<Record<string, string>>) => ChatMessage[];
  parts: readonly PromptPart[];
  maxPromptTokens: number;
}

export interface FittedPrompt {
  messages: ChatMessage[];
  /** Prompt tokens of `messages`, counted like the ledger counts them. */
  tokens: number;
  /** False only when even the fixed text of the template is over the cap (nothing left to cut). */
  fits: boolean;
  /** One line per part that was cut. */
  notes: string[];
}

/** Tokens kept free per part for its notice and wrapping. */
const NOTICE_ROOM = 24;
const ATTEMPTS = 5;

/**
 * Renders the prompt; when it would exceed the cap, cuts the variable parts (the largest first: each
 * part gets an equal share of what the fixed text leaves, and what a small part does not use goes to
 * the others), each with a visible notice, and checks the result by counting it again.
 */
export function fitPrompt(request: FitRequest): FittedPrompt {
  const { parts, maxPromptTokens } = request;
  const wrap = (part: PromptPart, text: string) => (part.wrap ? part.wrap(text) : text);
  const render = (texts: readonly string[]) =>
    request.render(Object.fromEntries(parts.map((part, i) => [part.name, texts[i] ?? ""])));
  const whole = render(parts.map((part) => wrap(part, part.text)));
  const wholeTokens = countPromptTokens(whole);
  if (wholeTokens <= maxPromptTokens) return { messages: whole, tokens: wholeTokens, fits: true, notes: [] };

  const sizes = parts.map((part) => countTextTokens(part.text));
  const fixed = countPromptTokens(render(parts.map((part) => wrap(part, ""))));
  let budget = maxPromptTokens - fixed - NOTICE_ROOM * parts.length;
  let last = { messages: whole, tokens: wholeTokens, notes: [] as string[] };
  for (let attempt = 0; attempt < ATTEMPTS && budget > 0; attempt++) {
    const shares = allocate(sizes, parts, budget);
    const notes: string[] = [];
    const texts = parts.map((part, i) => {
      const cut = cutToTokens(part.text, shares[i] ?? 0, part.what, sizes[i]);
      if (cut.notice === undefined) return wrap(part, part.text);
      notes.push(cut.notice);
      return `${wrap(part, cut.text)}\n${cut.notice}`;
    });
    const messages = render(texts);
    const tokens = countPromptTokens(messages);
    last = { messages, tokens, notes };
    if (tokens <= maxPromptTokens) return { ...last, fits: true };
    // Token boundaries shift where text was cut; take the overshoot off and try again.
    budget -= tokens - maxPromptTokens + 8 * parts.length;
  }
  return { ...last, fits: false };
}

/** Parts first capped at their maxShare, then what is left goes to those still cut. */
function allocate(sizes: readonly number[], parts: readonly PromptPart[], budget: number): number[] {
  const capped = sizes.map((size, i) => {
    const share = parts[i]?.maxShare;
    return share === undefined ? size : Math.min(size, Math.floor(share * budget));
  });
  const first = waterFill(capped, budget);
  const used = first.reduce((sum, share) => sum + share, 0);
  const extra = waterFill(
    sizes.map((size, i) => size - (first[i] ?? 0)),
    budget - used,
  );
  return first.map((share, i) => share + (extra[i] ?? 0));
}

/** Shares of `budget` for parts of the given sizes: small parts whole, the rest equal. */
export function waterFill(sizes: readonly number[], budget: number): number[] {
  const shares = sizes.map(() => 0);
  const order = sizes.map((size, i) => ({ size, i })).sort((a, b) => a.size - b.size);
  let left = Math.max(0, budget);
  order.forEach(({ size, i }, rank) => {
    const fair = Math.floor(left / (order.length - rank));
    const share = Math.min(size, fair);
    shares[i] = share;
    left -= share;
  });
  return shares;
}
