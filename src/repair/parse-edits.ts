import { fencedBlocks } from "../llm/extract.ts";
import type { Edit, ParsedCandidate, ParseProblem } from "./types.ts";

const HEADER = /^#{3}\s+(.+?)\s*$/;
const SEARCH = /^<{5,9}\s*SEARCH\s*$/;
const DIVIDER = /^={5,9}\s*$/;
const REPLACE = /^>{5,9}\s*REPLACE\s*$/;

type State =
  | { at: "outside" }
  | { at: "search"; path: string; startLine: number; search: string[] }
  | { at: "replace"; path: string; startLine: number; search: string[]; replace: string[] };

/**
 * SEARCH/REPLACE edits in a model answer (Agentless format): fenced blocks that start with
 * `### path/to/file`, then `<<<<<<< SEARCH`, lines, `=======`, lines, `>>>>>>> REPLACE`, possibly
 * several per block and several blocks per answer. Anything malformed is reported in `problems`; a
 * caller must not apply a candidate that has problems (it would be applied only in part).
 */
export function parseEdits(text: string): ParsedCandidate {
  const edits: Edit[] = [];
  const problems: ParseProblem[] = [];
  const lines = text.split(/\r?\n/);
  const blocks = fencedBlocks(text);
  const inBlocks = new Set<number>();
  for (const block of blocks) {
    for (let i = block.startLine; i <= block.endLine; i++) inBlocks.add(i);
    const body = lines.slice(block.startLine + 1, block.closed ? block.endLine : block.endLine + 1);
    const header = headerBefore(lines, block.startLine, inBlocks);
    readBlock(body, block.startLine + 1, block.closed, header, edits, problems);
  }
  lines.forEach((line, index) => {
    if (!inBlocks.has(index) && SEARCH.test(line)) {
      problems.push({
        kind: "malformed",
        message: "a <<<<<<< SEARCH marker outside any fenced block",
        line: index,
      });
    }
  });
  if (edits.length === 0 && problems.length === 0) {
    problems.push({ kind: "no_edits", message: "the answer holds no SEARCH/REPLACE edit", line: 0 });
  }
  return { edits, problems };
}

function readBlock(
  body: string[],
  firstLine: number,
  closed: boolean,
  headerPath: string | undefined,
  edits: Edit[],
  problems: ParseProblem[],
): void {
  let path = headerPath;
  let state: State = { at: "outside" };
  const report = (kind: ParseProblem["kind"], message: string, line: number) =>
    problems.push({ kind, message, line });
  for (const [offset, line] of body.entries()) {
    const lineNo = firstLine + offset;
    if (state.at === "outside") {
      const header = HEADER.exec(line);
      if (header?.[1]) {
        path = cleanPath(header[1]);
        if (path === undefined)
          report("bad_path", `"${header[1]}" is not a repository-relative path`, lineNo);
      } else if (SEARCH.test(line)) {
        if (path === undefined) {
          report("no_path", "a SEARCH block without a preceding `### path` line", lineNo);
          state = { at: "search", path: "", startLine: lineNo, search: [] };
        } else {
          state = { at: "search", path, startLine: lineNo, search: [] };
        }
      } else if (DIVIDER.test(line) || REPLACE.test(line)) {
        report("malformed", `"${line.trim()}" without an opening <<<<<<< SEARCH`, lineNo);
      }
    } else if (state.at === "search") {
      if (DIVIDER.test(line)) {
        state = {
          at: "replace",
          path: state.path,
          startLine: state.startLine,
          search: state.search,
          replace: [],
        };
      } else if (SEARCH.test(line) || REPLACE.test(line)) {
        report("malformed", `"${line.trim()}" before the ======= divider`, lineNo);
        state = { at: "outside" };
      } else state.search.push(line);
    } else if (REPLACE.test(line)) {
      if (state.path !== "") {
        edits.push({ path: state.path, search: state.search.join("\n"), replace: state.replace.join("\n") });
      }
      state = { at: "outside" };
    } else if (SEARCH.test(line) || DIVIDER.test(line)) {
      report("malformed", `"${line.trim()}" inside the REPLACE part`, lineNo);
      state = { at: "outside" };
    } else state.replace.push(line);
  }
  if (state.at !== "outside") {
    const missing = state.at === "search" ? "=======" : ">>>>>>> REPLACE";
    report(
      closed ? "malformed" : "truncated",
      closed
        ? `the edit of ${state.path || "?"} ends without ${missing}`
        : `the answer was cut off inside the edit of ${state.path || "?"} (no ${missing})`,
      state.startLine,
    );
  }
}

/** Some models write the `### path` line just above the fence instead of inside it. */
function headerBefore(lines: string[], fenceLine: number, inBlocks: ReadonlySet<number>): string | undefined {
  for (let i = fenceLine - 1; i >= 0 && !inBlocks.has(i); i--) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    const header = HEADER.exec(line);
    return header?.[1] ? cleanPath(header[1]) : undefined;
  }
  return undefined;
}

/** `./src/x.py`, `` `src/x.py` `` → `src/x.py`; absolute or escaping paths → undefined. */
export function cleanPath(raw: string): string | undefined {
  let path = raw
    .trim()
    .replace(/^[`'"*]+|[`'"*]+$/g, "")
    .replaceAll("\\", "/");
  path = path.replace(/^(\.\/)+/, "");
  if (path === "" || path.startsWith("/") || /^[A-Za-z]:/.test(path)) return undefined;
  if (path.split("/").some((segment) => segment === ".." || segment === "")) return undefined;
  return path;
}
