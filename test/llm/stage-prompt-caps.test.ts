import { describe, expect, it } from "vitest";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import { configSchema } from "../../src/config/schema.ts";
import { countPromptTokens } from "../../src/llm/tokens.ts";
import { repair } from "../../src/repair/repair.ts";
import type { Detection } from "../../src/repo-tests/detect.ts";
import { pytestRunner } from "../../src/repo-tests/runners/pytest.ts";
import { reproduce } from "../../src/reproduce/reproduce.ts";
import type { Sandbox } from "../../src/sandbox/sandbox.ts";
import { FakeLlm } from "../fakes/fake-llm.ts";
import { answer, FIXTURES } from "../repair/fixture-repo.ts";

// FAKE model (no model is reachable here): it records every prompt the stages send.
const registry = new LanguageRegistry();
const root = `${FIXTURES}/python/repo`;
const config = configSchema.parse({});
const NOTICE = /\[… issue text cut: [\d,]+ of [\d,]+ tokens shown\]/;

/** About 1 MB: the report, then a pasted log. */
const hugeIssue = `mean() divides by n-1 instead of n\n\n${"Traceback line: calc/stats.py mean values=[1, 2, 3]\n".repeat(20_000)}`;

/** The stages below never reach the sandbox (no sample is a readable test); any use fails the test. */
const noSandbox: Sandbox = {
  prepare: () => Promise.reject(new Error("the sandbox was not expected")),
  run: () => Promise.reject(new Error("the sandbox was not expected")),
  cleanupOrphans: () => Promise.reject(new Error("the sandbox was not expected")),
};

const prompts = (llm: FakeLlm) => llm.calls.map((call) => call.messages);
const text = (messages: readonly { content: string }[]) => messages.map((m) => m.content).join("\n");

describe("a 1 MB issue under the reproduction and repair prompt caps", () => {
  it("repair: every sample and refinement prompt within repair.maxPromptTokens, the code whole", async () => {
    expect(hugeIssue.length).toBeGreaterThan(1_000_000);
    const llm = new FakeLlm().on({}, answer("python", "wrong"));
    const input = {
      issueText: hugeIssue,
      root,
      windowSets: [[{ path: "calc/stats.py", startLine: 1, endLine: 18 }]],
      budget: { ...config.repair, candidatesPerSet: 2 },
      registry,
      isProtected: () => false,
      round: 0,
    };
    const sampled = await repair(input, { llm });
    const feedback = { attempt: "-a\n+b\n".repeat(50_000), output: "E   assert 2 == 3\n".repeat(60_000) };
    await repair({ ...input, round: 1, feedback }, { llm });
    expect(llm.calls.map((call) => call.stage)).toEqual(["repair.sample", "repair.sample", "repair.refine"]);
    for (const messages of prompts(llm)) {
      expect(countPromptTokens(messages)).toBeLessThanOrEqual(config.repair.maxPromptTokens);
      expect(text(messages)).toMatch(NOTICE);
      expect(text(messages)).toContain("    return total / (len(values) - 1)");
    }
    expect(text(prompts(llm)[2] ?? [])).toMatch(/\[… test output cut: /);
    expect(sampled.notes.join("\n")).toMatch(/cut to fit repair.maxPromptTokens: \[… issue text cut/);
  }, 60_000);

  it("reproduce: the sampling prompt within reproduction.maxPromptTokens", async () => {
    const detection: Detection = {
      framework: "pytest",
      language: "python",
      runner: pytestRunner(),
      image: "unused",
      testFiles: [],
      testSource: "conventions",
      testsByConvention: true,
      isTest: (path) => path.startsWith("tests/"),
      reason: "stated by the test",
    };
    const llm = new FakeLlm().on({ stage: "reproduce.sample" }, "I cannot write a test for this.");
    const budget = { ...config.reproduction, maxPromptTokens: 8_000 };
    const result = await reproduce(
      {
        issueText: hugeIssue,
        root,
        code: "### calc/stats.py\n```python\ndef mean(values):\n    return sum(values) / (len(values) - 1)\n```",
        detection,
        image: "unused",
        limits: {},
        budget,
        relatedTests: [],
        registry,
      },
      { llm, sandbox: noSandbox },
    );
    expect(llm.calls).toHaveLength(1);
    const messages = prompts(llm)[0] ?? [];
    expect(countPromptTokens(messages)).toBeLessThanOrEqual(budget.maxPromptTokens);
    expect(text(messages)).toMatch(NOTICE);
    expect(text(messages)).toContain("mean() divides by n-1");
    expect(text(messages)).toContain("return sum(values) / (len(values) - 1)");
    expect(result.notes.join("\n")).toMatch(/cut to fit reproduction.maxPromptTokens/);
  }, 60_000);
});
