/**
 * The JSON models write: `//` and `/* *\/` comments and trailing commas are removed (outside
 * strings) before JSON.parse. Anything else malformed stays an error.
 */
export type LenientParse = { ok: true; value: unknown } | { ok: false; message: string };

export function parseLenientJson(text: string): LenientParse {
  try {
    return { ok: true, value: JSON.parse(stripTrailingCommas(stripComments(text))) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function stripComments(text: string): string {
  return rewriteOutsideStrings(text, (i) => {
    if (text[i] !== "/") return null;
    if (text[i + 1] === "/") {
      const newline = text.indexOf("\n", i);
      return { next: newline < 0 ? text.length : newline, emit: "" };
    }
    if (text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      return { next: close < 0 ? text.length : close + 2, emit: " " };
    }
    return null;
  });
}

function stripTrailingCommas(text: string): string {
  return rewriteOutsideStrings(text, (i) => {
    if (text[i] !== ",") return null;
    let j = i + 1;
    while (j < text.length && /\s/.test(text[j] ?? "")) j++;
    return text[j] === "}" || text[j] === "]" ? { next: i + 1, emit: "" } : null;
  });
}

/**
 * Copies `text`, leaving JSON string literals untouched; at every other position `rewrite` may
 * replace the characters up to `next` by `emit` (null: copy the character as it is).
 */
function rewriteOutsideStrings(
  text: string,
  rewrite: (i: number) => { next: number; emit: string } | null,
): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    const replaced = rewrite(i);
    if (replaced) {
      out += replaced.emit;
      i = replaced.next - 1;
      continue;
    }
    if (c === '"') inString = true;
    out += c;
  }
  return out;
}

export interface BalancedSpan {
  start: number;
  end: number;
  text: string;
}

/**
 * Top-level balanced `{…}` / `[…]` spans in prose, in order, with strings respected. `unclosed` says
 * whether the text ended inside an opened bracket (a cut-off answer).
 */
export function balancedSpans(text: string): { spans: BalancedSpan[]; unclosed: boolean } {
  const spans: BalancedSpan[] = [];
  const stack: string[] = [];
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"' || c === "\n") inString = false;
      continue;
    }
    if (c === '"' && stack.length > 0) inString = true;
    else if (c === "{" || c === "[") {
      if (stack.length === 0) start = i;
      stack.push(c === "{" ? "}" : "]");
    } else if ((c === "}" || c === "]") && stack.length > 0) {
      if (stack[stack.length - 1] !== c) {
        stack.length = 0; // mismatched: not JSON; start over
        continue;
      }
      stack.pop();
      if (stack.length === 0) spans.push({ start, end: i + 1, text: text.slice(start, i + 1) });
    }
  }
  return { spans, unclosed: stack.length > 0 };
}
