export interface FencedBlock {
  /** The info string's first word (`python`, `json`), lower-cased; "" when there is none. */
  lang: string;
  content: string;
  /** False when the text ended inside the block: the model's output was cut off. */
  closed: boolean;
  /** 0-based line numbers of the opening fence and of the closing fence (or the last line). */
  startLine: number;
  endLine: number;
}

const OPENING = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$/;

/**
 * Markdown fenced code blocks (``` and ~~~) in order of appearance. A fence closes only with the same
 * character, at least as long, and nothing else on the line (CommonMark), so a ```python block inside
 * a ````markdown block stays part of it.
 */
export function fencedBlocks(text: string): FencedBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  let open: { fence: string; lang: string; startLine: number; body: string[] } | undefined;
  for (const [index, line] of lines.entries()) {
    if (open) {
      if (isClosing(line, open.fence)) {
        blocks.push(finish(open, true, index));
        open = undefined;
      } else {
        open.body.push(line);
      }
      continue;
    }
    const match = OPENING.exec(line);
    if (match?.[1]) {
      open = { fence: match[1], lang: (match[2] ?? "").toLowerCase(), startLine: index, body: [] };
    }
  }
  if (open) blocks.push(finish(open, false, lines.length - 1));
  return blocks;
}

function isClosing(line: string, fence: string): boolean {
  const trimmed = line.trim();
  const char = fence[0] ?? "`";
  return (
    line.length - line.trimStart().length <= 3 &&
    trimmed.length >= fence.length &&
    [...trimmed].every((c) => c === char)
  );
}

function finish(
  open: { lang: string; startLine: number; body: string[] },
  closed: boolean,
  endLine: number,
): FencedBlock {
  return { lang: open.lang, content: open.body.join("\n"), closed, startLine: open.startLine, endLine };
}

/** The text with every fenced block removed (what the model said around its answers). */
export function proseOutside(text: string, blocks: readonly FencedBlock[]): string {
  const lines = text.split(/\r?\n/);
  const inside = new Set<number>();
  for (const block of blocks) for (let i = block.startLine; i <= block.endLine; i++) inside.add(i);
  return lines.filter((_, index) => !inside.has(index)).join("\n");
}
