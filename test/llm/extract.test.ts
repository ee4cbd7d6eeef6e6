import { describe, expect, it } from "vitest";
import { z } from "zod";
import { extractJson, extractLines, fencedBlocks } from "../../src/llm/extract.ts";

const locations = z.object({
  files: z.array(z.string()).min(1),
  reason: z.string().optional(),
});

describe("fencedBlocks", () => {
  it("finds ``` and ~~~ blocks with their language, and flags a block cut off at the end", () => {
    const text = [
      "Here is the fix:",
      "```python",
      "def f():",
      "    return 1",
      "```",
      "and the data:",
      "~~~json",
      '{"a": 1}',
      "~~~",
      "Then a cut-off one:",
      "```diff",
      "- old",
    ].join("\n");
    const blocks = fencedBlocks(text);
    expect(blocks.map((b) => [b.lang, b.content, b.closed])).toEqual([
      ["python", "def f():\n    return 1", true],
      ["json", '{"a": 1}', true],
      ["diff", "- old", false],
    ]);
  });

  it("keeps a shorter fence inside a longer one as content", () => {
    const text = "````markdown\nExample:\n```js\nx()\n```\n````\n";
    const blocks = fencedBlocks(text);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.content).toBe("Example:\n```js\nx()\n```");
    expect(blocks[0]?.closed).toBe(true);
  });
});

describe("extractJson", () => {
  it("takes the fenced json answer out of prose", () => {
    const text = `I looked at the traceback: the failure comes from the date parser.

\`\`\`json
{
  "files": ["src/dates/parse.py", "src/dates/__init__.py"],
  "reason": "parse() drops the timezone"
}
\`\`\`

Let me know if you need more detail.`;
    expect(extractJson(text, locations)).toEqual({
      ok: true,
      from: "fenced",
      value: { files: ["src/dates/parse.py", "src/dates/__init__.py"], reason: "parse() drops the timezone" },
    });
  });

  it("prefers the last block that fits when there are two (an example, then the answer)", () => {
    const text = `The format is:
\`\`\`json
{"files": ["path/to/file.py"]}
\`\`\`
My answer:
\`\`\`json
{"files": ["lib/core.py"]}
\`\`\``;
    const result = extractJson(text, locations);
    expect(result.ok && result.value.files).toEqual(["lib/core.py"]);
  });

  it("tolerates trailing commas and // comments", () => {
    const text = '```json\n{\n  "files": [\n    "a.py", // the parser\n    "b.py",\n  ],\n}\n```';
    const result = extractJson(text, locations);
    expect(result.ok && result.value.files).toEqual(["a.py", "b.py"]);
  });

  it("keeps // inside strings", () => {
    const result = extractJson('```json\n{"files": ["http://x/y.py"]}\n```', locations);
    expect(result.ok && result.value.files).toEqual(["http://x/y.py"]);
  });

  it("finds the last balanced object in prose when there is no fence", () => {
    const text =
      'Candidates were {"files": []} at first, but finally {"files": ["pkg/mod.py"], "reason": "x"} is it.';
    const result = extractJson(text, locations);
    expect(result).toEqual({ ok: true, from: "prose", value: { files: ["pkg/mod.py"], reason: "x" } });
  });

  it("reports a block that was cut off as truncated", () => {
    const text = 'Sure, the files are:\n```json\n{"files": ["src/a.py", "src/b';
    expect(extractJson(text, locations)).toMatchObject({ ok: false, reason: "truncated" });
  });

  it("reports an unclosed object in prose as truncated", () => {
    expect(extractJson('The answer: {"files": ["a.py", ', locations)).toMatchObject({
      ok: false,
      reason: "truncated",
    });
  });

  it("reports JSON of the wrong shape as invalid, with the zod issue", () => {
    const result = extractJson('```json\n{"files": "a.py"}\n```', locations);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe("invalid");
    expect(result.message).toMatch(/^the fenced JSON does not fit: files: /);
  });

  it("reports broken JSON in a json block as invalid", () => {
    const result = extractJson("```json\n{files: [a.py]}\n```", locations);
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    expect(!result.ok && result.message).toMatch(/not valid JSON/);
  });

  it("reports garbage as no answer, without throwing", () => {
    expect(extractJson("I am not sure what you mean. Could you clarify?", locations)).toEqual({
      ok: false,
      reason: "no_answer",
      message: "the output holds no JSON (no fenced json block, no {…} or […])",
    });
    expect(extractJson("", locations)).toMatchObject({ ok: false, reason: "no_answer" });
  });
});

describe("extractLines", () => {
  it("reads the lines of the last fenced block, deduplicated", () => {
    const text = "The relevant files:\n```\nsrc/a.py\n  src/b.py  \n\nsrc/a.py\n```\nThose two.";
    expect(extractLines(text)).toEqual(["src/a.py", "src/b.py"]);
  });

  it("falls back to bullet and numbered list items, unwrapping backticks and bold", () => {
    const text =
      "I would look at:\n1. `src/app.ts` (the entry point)\n2) **src/router.ts**\n- src/app.ts\n* 'lib/util.ts'\nThat's all.";
    expect(extractLines(text)).toEqual(["src/app.ts", "src/router.ts", "lib/util.ts"]);
  });

  it("drops the possibly partial last line of a block that was cut off", () => {
    expect(extractLines("```\nsrc/a.py\nsrc/b.py\nsrc/c")).toEqual(["src/a.py", "src/b.py"]);
  });

  it("returns nothing for prose without a list or block", () => {
    expect(extractLines("The bug is probably in the parser.")).toEqual([]);
  });
});
