import { fileURLToPath } from "node:url";
import type { ChatMessage } from "../llm/llm.ts";
import { fillTemplate, loadTemplate, type Template } from "../llm/prompt-template.ts";

/** Prompt templates live in `localization/prompts/<name>.md`, split into messages by `<!-- role: … -->` markers. */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL("../../localization/prompts", import.meta.url));

export type PromptName = "file-level" | "element-level" | "line-level";

export type PromptTemplate = Template;

/** The same markdown format as the pipeline's prompts (src/llm/prompt-template.ts). */
export function loadPrompt(name: PromptName, dir: string = DEFAULT_PROMPTS_DIR): PromptTemplate {
  return loadTemplate(name, dir);
}

/** Fills `{{name}}` placeholders (each value inserted verbatim, once; unknown placeholders stay). */
export function renderPrompt(
  template: PromptTemplate,
  values: Readonly<Record<string, string | number>>,
): ChatMessage[] {
  return fillTemplate(template, values);
}

/**
 * Untrusted text as a labelled, fenced block whose fence cannot be closed from inside; zero-width and
 * other invisible characters and HTML comments (hidden text on GitHub) are removed.
 */
export function untrustedBlock(label: string, text: string, lang = ""): string {
  const cleaned = text
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g, "");
  const longest = Math.max(2, ...[...cleaned.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `### ${label}\n${fence}${lang}\n${cleaned}\n${fence}`;
}
