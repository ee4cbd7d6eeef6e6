/**
 * Code-aware tokenization shared by documents and queries: identifiers are kept whole (lower-cased)
 * and also split into their camelCase / snake_case parts, so `getUserName`, `get_user_name` and
 * "user name" meet. Paths and dotted names split on their separators.
 */

const PART_BOUNDARY =
  /_+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])/;

/** Words too common in code and prose to help ranking (BM25 would weigh them near zero anyway). */
export const STOP_WORDS = new Set(
  (
    "a an and are as at be but by do does for from if in into is it its no not of on or so than that the " +
    "then there these this to was we were will with you your i me my our def self cls return import " +
    "else elif try except finally raise pass none true false null undefined var let const function new " +
    "while break continue yield lambda assert del global nonlocal async await typeof instanceof void " +
    "case switch default export require module exports"
  ).split(" "),
);

const MIN_LENGTH = 2;
const MAX_LENGTH = 64;
const partsCache = new Map<string, readonly string[]>();

/** Terms of one identifier: the whole (lower-cased) and, when compound, its parts. */
export function identifierTerms(identifier: string): readonly string[] {
  const cached = partsCache.get(identifier);
  if (cached) return cached;
  const whole = identifier.toLowerCase();
  const terms: string[] = [];
  if (isUseful(whole)) terms.push(whole);
  const parts = identifier.split(PART_BOUNDARY);
  if (parts.length > 1) {
    for (const part of parts) {
      const lower = part.toLowerCase();
      if (lower !== whole && isUseful(lower)) terms.push(lower);
    }
  }
  if (partsCache.size > 500_000) partsCache.clear();
  partsCache.set(identifier, terms);
  return terms;
}

/** All terms of a text, in order, repeats kept (BM25 counts them). */
export function codeTerms(text: string, out: string[] = []): string[] {
  forEachIdentifier(text, (identifier) => {
    for (const term of identifierTerms(identifier)) out.push(term);
  });
  return out;
}

/** Term → how often it occurs (what a BM25 document needs), without materializing the term list. */
export function countCodeTerms(text: string, counts: Map<string, number> = new Map()): Map<string, number> {
  forEachIdentifier(text, (identifier) => {
    for (const term of identifierTerms(identifier)) counts.set(term, (counts.get(term) ?? 0) + 1);
  });
  return counts;
}

/** Calls `visit` with each `[A-Za-z_][A-Za-z0-9_]*` run (a hand-written scanner: no match objects). */
export function forEachIdentifier(text: string, visit: (identifier: string, start: number) => void): void {
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (isIdentifierStart(code)) {
      const start = i;
      i++;
      while (i < length && isIdentifierPart(text.charCodeAt(i))) i++;
      visit(text.slice(start, i), start);
    } else if (code >= 48 && code <= 57) {
      i++;
      while (i < length && isIdentifierPart(text.charCodeAt(i))) i++; // skip numbers like 0x1F, 3rd
    } else {
      i++;
    }
  }
}

function isIdentifierStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

/** Path terms: every segment and the file stem, each split like an identifier. */
export function pathTerms(path: string): string[] {
  return codeTerms(path.replace(/[/.\\-]+/g, " "));
}

function isUseful(term: string): boolean {
  return (
    term.length >= MIN_LENGTH && term.length <= MAX_LENGTH && !STOP_WORDS.has(term) && !/^_+$/.test(term)
  );
}

/** Plain whitespace tokenization (the baseline's): lower-cased, nothing else. */
export function whitespaceTerms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((term) => term.length > 0);
}
