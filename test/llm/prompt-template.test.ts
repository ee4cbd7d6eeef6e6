import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fillTemplate, loadTemplate } from "../../src/llm/prompt-template.ts";

describe("prompt templates", () => {
  it("load every pipeline prompt as system + user messages with the placeholders the stages fill", () => {
    for (const [name, keys] of [
      ["reproduce", ["issue", "code", "framework", "example", "testFile"]],
      ["repair", ["issue", "code"]],
      ["refine", ["issue", "code", "attempt", "feedback"]],
    ] as const) {
      const template = loadTemplate(name);
      expect(template.messages.map((m) => m.role)).toEqual(["system", "user"]);
      for (const key of keys) expect(template.messages[1]?.text).toContain(`{{${key}}}`);
    }
  });

  it("fill placeholders once (inserted text is not expanded) and keep unknown ones", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "autofix-prompt-"));
    writeFileSync(path.join(dir, "t.md"), "<!-- role: user -->\nA {{a}} B {{b}}\n");
    expect(fillTemplate(loadTemplate("t", dir), { a: "{{b}}" })).toEqual([
      { role: "user", content: "A {{b}} B {{b}}" },
    ]);
  });

  it("say which file is missing or has no role sections", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "autofix-prompt-"));
    expect(() => loadTemplate("absent", dir)).toThrow(/absent\.md does not exist/);
    writeFileSync(path.join(dir, "plain.md"), "just text\n");
    expect(() => loadTemplate("plain", dir)).toThrow(/has no <!-- role: … --> sections/);
  });
});
