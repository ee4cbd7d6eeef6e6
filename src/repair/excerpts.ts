import { countTextTokens } from "../llm/tokens.ts";
import { untrustedBlock } from "../localize/prompts.ts";
import type { ContextWindow } from "../localize/windows.ts";
import type { FileMap } from "./types.ts";

const LANG_BY_EXTENSION: Record<string, string> = {
  py: "python",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  ts: "typescript",
  tsx: "tsx",
  go: "go",
  java: "java",
  rs: "rust",
};

export function fenceLanguage(path: string): string {
  return LANG_BY_EXTENSION[path.split(".").pop() ?? ""] ?? "";
}

/**
 * The code shown to the model: each window as a fenced block under `### path`, without line numbers
 * (SEARCH text is copied from it). Windows are dropped from the end while the text is over `maxTokens`;
 * at least one window stays.
 */
export function renderExcerpts(
  windows: readonly ContextWindow[],
  files: FileMap,
  maxTokens: number,
): { text: string; shown: ContextWindow[] } {
  const blocks = windows.flatMap((window) => {
    const text = files.get(window.path);
    if (text === undefined) return [];
    const lines = text.split("\n").slice(window.startLine - 1, window.endLine);
    const label = `${window.path} (lines ${window.startLine}-${window.endLine})`;
    return [{ window, text: untrustedBlock(label, lines.join("\n"), fenceLanguage(window.path)) }];
  });
  const shown = [...blocks];
  const total = () => countTextTokens(shown.map((block) => block.text).join("\n\n"));
  while (shown.length > 1 && total() > maxTokens) shown.pop();
  return { text: shown.map((block) => block.text).join("\n\n"), shown: shown.map((block) => block.window) };
}
