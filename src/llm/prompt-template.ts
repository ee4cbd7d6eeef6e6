import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AutofixError } from "../errors.ts";
import type { ChatMessage, Role } from "./llm.ts";

/** Prompt templates of the reproduce and repair stages: `prompts/<name>.md`. */
export const PIPELINE_PROMPTS_DIR = fileURLToPath(new URL("../../prompts", import.meta.url));

export type Template = { messages: { role: Role; text: string }[] };

const MARKER = /^<!-- role: (system|user|assistant) -->\s*$/gm;

/** A markdown template split into chat messages by `<!-- role: … -->` lines. */
export function loadTemplate(name: string, dir: string = PIPELINE_PROMPTS_DIR): Template {
  const path = join(dir, `${name}.md`);
  if (!existsSync(path)) {
    throw new AutofixError("prompt.missing", `The prompt template ${path} does not exist.`, {
      hint: "Restore it from the repository.",
    });
  }
  const text = readFileSync(path, "utf8");
  const markers = [...text.matchAll(MARKER)];
  if (markers.length === 0) {
    throw new AutofixError("prompt.invalid", `${path} has no <!-- role: … --> sections.`, {
      hint: "Start each message with a line `<!-- role: system -->` or `<!-- role: user -->`.",
    });
  }
  return {
    messages: markers.map((marker, i) => ({
      role: marker[1] as Role,
      text: text.slice((marker.index ?? 0) + marker[0].length, markers[i + 1]?.index ?? text.length).trim(),
    })),
  };
}

/** Fills `{{name}}` placeholders in one pass (inserted text is never expanded again). */
export function fillTemplate(
  template: Template,
  values: Readonly<Record<string, string | number>>,
): ChatMessage[] {
  return template.messages.map(({ role, text }) => ({
    role,
    content: text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) =>
      key in values ? String(values[key]) : whole,
    ),
  }));
}
