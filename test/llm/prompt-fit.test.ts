import { describe, expect, it } from "vitest";
import { boundReply } from "../../src/llm/bound-reply.ts";
import { cutToTokens } from "../../src/llm/cut-text.ts";
import { fitPrompt, waterFill } from "../../src/llm/prompt-fit.ts";
import { countPromptTokens, countTextTokens, headTokens } from "../../src/llm/tokens.ts";

const render = (values: Readonly<Record<string, string>>) => [
  { role: "system" as const, content: "You read issues." },
  { role: "user" as const, content: `Issue:\n${values.issue ?? ""}\n\nCode:\n${values.code ?? ""}` },
];

describe("cutting text to tokens", () => {
  it("keeps a prefix of at most the tokens asked, and says how much was shown", () => {
    const text = "alpha beta gamma délta 🙂 ".repeat(2_000);
    const head = headTokens(text, 300);
    expect(text.startsWith(head)).toBe(true);
    expect(countTextTokens(head)).toBeLessThanOrEqual(300);
    expect(countTextTokens(head)).toBeGreaterThan(280);
    const cut = cutToTokens(text, 300, "issue text");
    expect(cut.notice).toBe(
      `[… issue text cut: ${cut.shownTokens} of ${cut.totalTokens.toLocaleString("en-US")} tokens shown]`,
    );
    expect(cutToTokens("short", 300, "issue text").notice).toBeUndefined();
  });

  it("shares a budget: small parts whole, the rest equally", () => {
    expect(waterFill([100, 5_000, 9_000], 3_000)).toEqual([100, 1_450, 1_450]);
    expect(waterFill([10, 20], 1_000)).toEqual([10, 20]);
  });
});

describe("fitPrompt", () => {
  it("leaves a prompt under the cap untouched", () => {
    const fitted = fitPrompt({
      render,
      parts: [{ name: "issue", text: "x", what: "issue text" }],
      maxPromptTokens: 1_000,
    });
    expect(fitted).toMatchObject({ fits: true, notes: [] });
    expect(fitted.messages).toEqual(render({ issue: "x" }));
  });

  it("cuts the large parts to fit, with a visible notice after each, and keeps a part within its share", () => {
    const issue = "the cart overflows when items are added ".repeat(5_000);
    const code = "def add_item(self, item):\n    self.items.append(item)\n".repeat(300);
    const fitted = fitPrompt({
      render,
      parts: [
        { name: "issue", text: issue, what: "issue text", wrap: (text) => `<<${text}>>`, maxShare: 0.25 },
        { name: "code", text: code, what: "code" },
      ],
      maxPromptTokens: 4_000,
    });
    expect(fitted.fits).toBe(true);
    expect(fitted.tokens).toBe(countPromptTokens(fitted.messages));
    expect(fitted.tokens).toBeLessThanOrEqual(4_000);
    const prompt = fitted.messages[1]?.content ?? "";
    expect(prompt).toMatch(/>>\n\[… issue text cut: [\d,]+ of [\d,]+ tokens shown\]/);
    const issueShown = prompt.slice(prompt.indexOf("<<"), prompt.indexOf(">>"));
    expect(countTextTokens(issueShown)).toBeLessThanOrEqual(1_000);
    expect(fitted.notes).toHaveLength(2);
  });

  it("says it cannot fit when the template alone is over the cap", () => {
    const fitted = fitPrompt({
      render: (values) => [{ role: "user", content: `${"fixed ".repeat(500)}${values.issue ?? ""}` }],
      parts: [{ name: "issue", text: "some issue", what: "issue text" }],
      maxPromptTokens: 100,
    });
    expect(fitted.fits).toBe(false);
  });
});

describe("boundReply", () => {
  it("cuts only the samples over max_tokens, marks them cut off, and counts what an endpoint understated", () => {
    const long = "word ".repeat(1_000);
    const bounded = boundReply(
      {
        model: "m",
        texts: ["short answer", long],
        finishReasons: ["stop", "stop"],
        usage: { promptTokens: 10, completionTokens: 3 },
      },
      100,
    );
    expect(bounded.completion.texts[0]).toBe("short answer");
    expect(countTextTokens(bounded.completion.texts[1] ?? "")).toBeLessThanOrEqual(100);
    expect(bounded.completion.finishReasons).toEqual(["stop", "length"]);
    expect(bounded.cutSamples).toBe(1);
    expect(bounded.completionTokens).toBe(countTextTokens("short answer") + countTextTokens(long));
  });
});
