import { describe, expect, it } from "vitest";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import { configSchema } from "../../src/config/schema.ts";
import { BudgetExceededError } from "../../src/llm/errors.ts";
import { repair } from "../../src/repair/repair.ts";
import { FakeLlm } from "../fakes/fake-llm.ts";
import { answer, FIXTURES } from "./fixture-repo.ts";

// FAKE model (no model is reachable here): answers from the fixture answers of test/fixtures/repair.
const registry = new LanguageRegistry();
const root = `${FIXTURES}/python/repo`;
const budget = { ...configSchema.parse({}).repair, candidatesPerSet: 4 };
const windows = [
  [{ path: "calc/stats.py", startLine: 11, endLine: 18 }],
  [{ path: "calc/stats.py", startLine: 1, endLine: 8 }],
];
const base = {
  issueText: "mean() divides by n-1",
  root,
  windowSets: windows,
  budget,
  registry,
  isProtected: () => false,
  round: 0,
};

describe("repair stage", () => {
  it("samples each location set (the very first sample greedy) and groups what comes back", async () => {
    const llm = new FakeLlm().on({ stage: "repair.sample" }, [
      answer("python", "right"),
      answer("python", "right-reformatted"),
      answer("python", "wrong"),
      answer("python", "truncated"),
    ]);
    const result = await repair(base, { llm });
    expect(llm.calls.map((call) => [call.n, call.temperature])).toEqual([
      [1, 0],
      [3, 0.8],
      [4, 0.8],
    ]);
    expect(result.answers.map((a) => a.id)).toEqual([
      "r0s1c1",
      "r0s1c2",
      "r0s1c3",
      "r0s1c4",
      "r0s2c1",
      "r0s2c2",
      "r0s2c3",
      "r0s2c4",
    ]);
    // the code shown is the window's text, under its path, without line numbers
    expect(llm.calls[0]?.messages.at(-1)?.content).toContain("### calc/stats.py (lines 11-18)");
    expect(llm.calls[0]?.messages.at(-1)?.content).toContain("    return total / (len(values) - 1)");
    const rightGroup = result.pool.groups.find((group) => group.members.includes("r0s1c1"));
    expect(rightGroup?.members).toContain("r0s1c2");
    expect(result.pool.refused.malformed).toBeGreaterThan(0);
  });

  it("keeps what was sampled when the run's budget runs out mid-stage, and says so", async () => {
    const refused = new BudgetExceededError({
      stage: "repair.sample",
      ceiling: "tokens",
      needed: 9000,
      remaining: 10,
      limit: 5000,
    });
    const llm = new FakeLlm().queue(
      "repair.sample",
      answer("python", "right"),
      answer("python", "wrong"),
      refused,
    );
    const result = await repair(base, { llm });
    expect(result.answers).toHaveLength(4);
    expect(result.budgetExhausted).toMatch(/maxTokensPerRun/);
    expect(result.notes.join("\n")).toMatch(/sampling stopped at location set 2/);
    expect(result.pool.groups.length).toBeGreaterThan(0);
  });

  it("refines with one call over all windows, showing the failed attempt and the test output", async () => {
    const llm = new FakeLlm().on({ stage: "repair.refine" }, answer("python", "right"));
    const feedback = { attempt: "-a\n+b\n", output: "tests/test_x.py::test_mean: failed\nassert 1.5 == 2" };
    const result = await repair({ ...base, round: 1, feedback }, { llm });
    expect(llm.calls).toHaveLength(1);
    expect(llm.calls[0]?.n).toBe(4);
    const prompt = llm.calls[0]?.messages.at(-1)?.content ?? "";
    expect(prompt).toContain("assert 1.5 == 2");
    expect(prompt).toContain("(lines 1-8)");
    expect(prompt).toContain("(lines 11-18)");
    expect(result.answers.every((a) => a.round === 1 && a.id.startsWith("r1s1c"))).toBe(true);
  });
});
