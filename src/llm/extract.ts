import type { z } from "zod";
import { type FencedBlock, fencedBlocks, proseOutside } from "./fences.ts";
import { balancedSpans, parseLenientJson } from "./lenient-json.ts";

export { type FencedBlock, fencedBlocks } from "./fences.ts";

export type ExtractFailure = {
  ok: false;
  /** no_answer: nothing answer-like; truncated: the output was cut off; invalid: found, but wrong. */
  reason: "no_answer" | "truncated" | "invalid";
  message: string;
};
export type Extracted<T> = { ok: true; value: T; from: "fenced" | "prose" } | ExtractFailure;

const JSON_LANGS = new Set(["json", "jsonc", "json5"]);

/**
 * The JSON answer in a model's output, validated by `schema`. Tried in order: fenced json blocks
 * (last first), untagged blocks that look like JSON, then balanced {…}/[…] in the prose (last
 * first). Never throws on bad output: the failure says why.
 */
export function extractJson<S extends z.ZodType>(text: string, schema: S): Extracted<z.output<S>> {
  const blocks = fencedBlocks(text);
  const last = blocks[blocks.length - 1];
  if (last && !last.closed && looksLikeJsonBlock(last) && !parseLenientJson(last.content).ok) {
    return fail("truncated", `the output ends inside an unclosed ${last.lang || "code"} block`);
  }
  const fenced = [
    ...blocks.filter((block) => JSON_LANGS.has(block.lang)).reverse(),
    ...blocks.filter((block) => block.lang === "" && looksLikeJsonBlock(block)).reverse(),
  ];
  let schemaFailure: ExtractFailure | undefined;
  let parseFailure: ExtractFailure | undefined;
  for (const block of fenced) {
    const parsed = parseLenientJson(block.content);
    if (!parsed.ok) {
      parseFailure ??= fail(
        "invalid",
        `the ${block.lang || "fenced"} block is not valid JSON: ${parsed.message}`,
      );
      continue;
    }
    const checked = schema.safeParse(parsed.value);
    if (checked.success) return { ok: true, value: checked.data, from: "fenced" };
    schemaFailure ??= fail("invalid", `the fenced JSON does not fit: ${summarizeIssues(checked.error)}`);
  }
  const { spans, unclosed } = balancedSpans(proseOutside(text, blocks));
  for (const span of [...spans].reverse()) {
    const parsed = parseLenientJson(span.text);
    if (!parsed.ok) continue;
    const checked = schema.safeParse(parsed.value);
    if (checked.success) return { ok: true, value: checked.data, from: "prose" };
    schemaFailure ??= fail("invalid", `the JSON in the text does not fit: ${summarizeIssues(checked.error)}`);
  }
  if (schemaFailure) return schemaFailure;
  if (parseFailure) return parseFailure;
  if (unclosed) return fail("truncated", "the output ends inside an unclosed { or [");
  return fail("no_answer", "the output holds no JSON (no fenced json block, no {…} or […])");
}

/**
 * Answer lines, e.g. file paths: the lines of the last fenced block, else the items of bulleted or
 * numbered lists; trimmed, unwrapped from backticks/quotes/bold (a list item's leading code span
 * wins over the explanation after it), de-duplicated in order. A block
 * that was cut off loses its last, possibly partial, line.
 */
export function extractLines(text: string): string[] {
  const blocks = fencedBlocks(text);
  const last = blocks[blocks.length - 1];
  let lines: string[];
  if (last) {
    lines = last.content.split("\n");
    if (!last.closed && !text.endsWith("\n")) lines.pop();
  } else {
    lines = text.split(/\r?\n/).filter((line) => LIST_ITEM.test(line));
  }
  const seen = new Set<string>();
  for (const line of lines) {
    const item = unwrap(line.replace(LIST_ITEM, "$1"));
    if (item !== "") seen.add(item);
  }
  return [...seen];
}

const LIST_ITEM = /^\s*(?:[-*+•]|\d+[.)])\s+(.*)$/;

/** `path` (what it does) → path: a code span or bold lead followed by an explanation. */
const LEADING_SPAN = /^(`+|\*\*)(.+?)\1(?:[\s:,;].*)?$/;

function unwrap(item: string): string {
  let current = item.trim();
  const lead = LEADING_SPAN.exec(current);
  if (lead?.[2]) current = lead[2].trim();
  for (;;) {
    const next = current.replace(/^(\*\*|__|[`'"])(.*)\1$/, "$2").trim();
    if (next === current) return current;
    current = next;
  }
}

function looksLikeJsonBlock(block: FencedBlock): boolean {
  if (JSON_LANGS.has(block.lang)) return true;
  const start = block.content.trimStart()[0];
  return block.lang === "" && (start === "{" || start === "[");
}

function fail(reason: ExtractFailure["reason"], message: string): ExtractFailure {
  return { ok: false, reason, message };
}

/** At most five `path: message` items, e.g. `files.0: expected string, received number`. */
export function summarizeIssues(error: z.ZodError): string {
  const items = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - items.length;
  return `${items.join("; ")}${more > 0 ? `; (+${more} more)` : ""}`;
}
