import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { Ledger } from "../../src/llm/ledger.ts";
import { createRunContext, ISSUE_MAX_CHARS } from "../../src/pipeline/phases/run-context.ts";
import type { FixServices } from "../../src/pipeline/types.ts";
import { FakeLlm } from "../fakes/fake-llm.ts";

const services = {
  llm: new FakeLlm(),
  ledger: new Ledger({ maxTokens: 1_000, maxDollars: 1 }),
} as unknown as FixServices;
const input = (body: string) => ({
  repo: { root: "/r", key: "k", commit: "c" },
  issue: { title: "T", body },
  config: configSchema.parse({}),
});

describe("a run's issue text", () => {
  it("cuts a 1 MB issue body with a notice in the text and a note in the report", () => {
    const run = createRunContext(input("x".repeat(1_000_000)), services);
    expect(run.input.issue.body.length).toBeLessThan(ISSUE_MAX_CHARS + 200);
    expect(run.input.issue.body).toMatch(
      /the issue is 1,000,000 characters long; only the first 48,000 are shown\]$/,
    );
    expect(run.issueText.startsWith("T\n\nxxx")).toBe(true);
    expect(run.notes).toEqual(["the issue body was truncated to 48000 characters for the prompts"]);
  });

  it("leaves a normal issue as it is", () => {
    const run = createRunContext(input("median() is wrong"), services);
    expect(run.input.issue.body).toBe("median() is wrong");
    expect(run.notes).toEqual([]);
  });
});
