import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AutofixError } from "../errors.ts";
import type { ChatMessage, Role } from "../llm/llm.ts";

/** Prompt templates live in `localization/prompts/<name>.md`, split into messages by `<!-- role: … -->` markers. */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL("../../localization/prompts", import.meta.url));

export type PromptName = "file-level" | "element-level" | "line-level";

export interface PromptTemplate {
  name: PromptName;
  messages: { role: Role; text: string }[];
}

const MARKER = /^<!-- role: (system|user|assistant) -->\s*$/gm;

export function loadPrompt(name: PromptName, dir: string = DEFAULT_PROMPTS_DIR): PromptTemplate {
  const path = join(dir, `${name}.md`);
  if (!existsSync(path)) {
    throw new AutofixError("localization.prompt_missing", `The prompt template ${path} does not exist.`, {
      hint: "Restore it from the repository (localization/prompts/).",
    });
  }
  const text = readFileSync(path, "utf8");
  const markers = [...text.matchAll(MARKER)];
  const messages = markers.map((marker, i) => ({
    role: marker[1] as Role,
    text: text.slice((marker.index ?? 0) + marker[0].length, markers[i + 1]?.index ?? text.length).trim(),
  }));
  if (messages.length === 0) {
    throw new AutofixError("localization.prompt_invalid", `${path} has no <!-- role: … --> sections.`, {
      hint: "Start each message with a line `<!-- role: system -->` or `<!-- role: user -->`.",
    });
  }
  return { name, messages };
}

/** Fills `{{name}}` placeholders (each value inserted verbatim, once; unknown placeholders stay). */
export function renderPrompt(
  template: PromptTemplate,
  values: Readonly<Record<string, string | number>>,
): ChatMessage[] {
  return template.messages.map(({ role, text }) => ({
    role,
    content: text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) =>
      key in values ? String(values[key]) : whole,
    ),
  }));
}

/**
 * Untrusted text as a labelled, fenced block whose fence cannot be closed from inside; zero-width and
 * other invisible characters and HTML comments (hidden text on GitHub) are removed.
 */
export function fenced(label: string, text: string, lang = ""): string {
  const cleaned = text
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g, "");
  const longest = Math.max(2, ...[...cleaned.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `### ${label}\n${fence}${lang}\n${cleaned}\n${fence}`;
}
