/**
 * Text a reader of the rendered issue cannot see, but a model reading the raw markdown would: the
 * hiding places of prompt injection. Pure functions; each reports what it removed.
 */

/**
 * Zero-width and invisible formatting characters (ZWSP, ZWNJ, ZWJ, word joiner, invisible operators,
 * BOM, soft hyphen, Mongolian vowel separator, Hangul fillers), bidirectional controls (LRM, RLM, ALM,
 * embeddings, overrides, isolates: "Trojan Source"), Unicode tag characters (U+E0000–U+E007F, "ASCII
 * smuggling") and the supplementary variation selectors (U+E0100–U+E01EF, which can carry bytes).
 * Emoji variation selectors (U+FE0E/F) stay: they are visible presentation.
 */
const INVISIBLE =
  /\u034F|\u200D|[\u{E0100}-\u{E01EF}]|[\u00AD\u061C\u115F\u1160\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\u{E0000}-\u{E007F}]/gu;
/** C0 and C1 control characters other than tab and newline. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export type Sanitized = { text: string; invisible: number; hiddenBlocks: number };

/** Remove invisible characters everywhere and hidden markup outside fenced code blocks. */
export function sanitizeMarkdown(input: string): Sanitized {
  let invisible = 0;
  const visible = input
    .replace(/\r\n?/g, "\n")
    .replace(INVISIBLE, () => {
      invisible++;
      return "";
    })
    .replace(CONTROL, () => {
      invisible++;
      return "";
    });
  let hiddenBlocks = 0;
  const text = mapOutsideCodeFences(visible, (prose) =>
    prose
      // HTML comments, also `<!-->`, `<!--->`, and one left open (it hides the rest of the text).
      .replace(/<!--(?:-?>|[\s\S]*?-->|[\s\S]*$)/g, () => {
        hiddenBlocks++;
        return "";
      })
      // Link reference definitions with a title, `[x]: # (hidden text)`: never rendered.
      .replace(/^ {0,3}\[[^\]\n]+\]:[ \t]*\S*[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\))[ \t]*$/gm, () => {
        hiddenBlocks++;
        return "";
      }),
  );
  return { text, invisible, hiddenBlocks };
}

/**
 * Apply `change` to the prose between fenced code blocks (``` or ~~~, closed by a fence of the same
 * character at least as long). Markup inside a code block is shown as text, so it stays — a bug
 * report about an HTML parser may need its `<!-- -->`. An unclosed fence runs to the end, as in
 * GitHub's rendering.
 */
export function mapOutsideCodeFences(text: string, change: (prose: string) => string): string {
  const out: string[] = [];
  let prose: string[] = [];
  const flush = () => {
    if (prose.length > 0) out.push(change(prose.join("\n")));
    prose = [];
  };
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) {
      if (marker === undefined) {
        prose.push(line);
        continue;
      }
      flush();
      fence = marker;
    } else if (marker !== undefined && closes(fence, marker, line)) fence = undefined;
    out.push(line);
  }
  flush();
  return out.join("\n");
}

function closes(fence: string, marker: string, line: string): boolean {
  return marker[0] === fence[0] && marker.length >= fence.length && /^ {0,3}[`~]+[ \t]*$/.test(line);
}

/** At most `maxBytes` of UTF-8, cut at a character boundary (and at a line end when one is near). */
export function truncateUtf8(text: string, maxBytes: number): { text: string; bytes: number; cut: boolean } {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes <= maxBytes) return { text, bytes, cut: false };
  let head = new TextDecoder().decode(Buffer.from(text, "utf8").subarray(0, maxBytes)).replace(/\uFFFD$/, "");
  const lineEnd = head.lastIndexOf("\n");
  if (lineEnd > head.length - 1024 && lineEnd > 0) head = head.slice(0, lineEnd);
  return { text: head, bytes, cut: true };
}
