import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { reportSchema } from "../../src/contract/report.ts";
import { countPromptTokens } from "../../src/llm/tokens.ts";
import { autofixAgainst, gitRepoFrom, withScriptedModel } from "../pipeline/fix-helpers.ts";
import { dockerGate } from "../sandbox/docker-gate.ts";

const gate = await dockerGate("a whole run within its ceilings");
const FIXTURE = path.resolve("test/fixtures/fix/py-median");
const cache = mkdtempSync(path.join(tmpdir(), "autofix-ceilings-cache-"));
const MAX_PROMPT = 8_000;

/** The fixture's issue followed by about 1 MB of pasted log. */
function hugeIssue(): string {
  const issue = readFileSync(path.join(FIXTURE, "issue.md"), "utf8");
  return `${issue}\n${"DEBUG textstats.stats median values=[3, 1, 2] middle=1 ordered=False\n".repeat(15_000)}`;
}

/**
 * `autofix fix` as a process against the SCRIPTED model, which answers every call with 2 MB and a
 * usage of 3,982,685 tokens, whatever max_tokens asked.
 */
async function runAgainstLyingModel(maxTokensPerRun: number) {
  const repo = gitRepoFrom(path.join(FIXTURE, "repo"));
  const out = mkdtempSync(path.join(tmpdir(), "autofix-ceilings-out-"));
  writeFileSync(path.join(out, "issue.md"), hugeIssue());
  writeFileSync(
    path.join(out, "huge.txt"),
    `\`\`\`\ntextstats/stats.py\n\`\`\`\n${"padding ".repeat(262_144)}`,
  );
  writeFileSync(
    path.join(out, "script.yml"),
    "rules:\n  - reply: { contentFile: huge.txt, usage: { promptTokens: 12, completionTokens: 3982673 } }\n",
  );
  writeFileSync(
    path.join(out, "autofix.yml"),
    `limits:\n  maxTokensPerRun: ${maxTokensPerRun}\n  maxDollarsPerRun: 2\n` +
      `localization:\n  maxPromptTokens: ${MAX_PROMPT}\nreproduction:\n  maxPromptTokens: ${MAX_PROMPT}\n` +
      `repair:\n  maxPromptTokens: ${MAX_PROMPT}\n`,
  );
  const args = ["fix", "--repo", repo, "--issue", path.join(out, "issue.md"), "--out", out, "--json"];
  args.push("--config", path.join(out, "autofix.yml"));
  return withScriptedModel(path.join(out, "script.yml"), async (model) => {
    const run = await autofixAgainst(model, args, cache);
    const report = reportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
    const markdown = readFileSync(path.join(out, "report.md"), "utf8");
    const prompts = model.requests.map((request) => countPromptTokens(request.messages));
    return { run, report, markdown, prompts, maxTokens: model.requests.map((request) => request.maxTokens) };
  });
}

describe.skipIf(gate.skip)("a whole run against a model that ignores max_tokens and misreports usage", () => {
  it("a 20,000-token ceiling ends at most at 20,000; every prompt within maxPromptTokens", async () => {
    const { run, report, markdown, prompts, maxTokens } = await runAgainstLyingModel(20_000);
    expect(run.stderr).not.toMatch(/Error:/);
    expect(prompts.length).toBeGreaterThan(0);
    for (const tokens of prompts) expect(tokens).toBeLessThanOrEqual(MAX_PROMPT);
    for (const limit of maxTokens) expect(limit).toBeGreaterThan(0);
    expect(report.usage.tokens).toBeLessThanOrEqual(20_000);
    expect(report.usage.tokens).toBeGreaterThan(0);
    expect(report.decision).toBe("abstain");
    expect(markdown).toMatch(/Spent [\d,]+ of 20,000 tokens, \$\d+\.\d\d of \$2\.00\./);
    expect(markdown).toMatch(/the endpoint returned [\d,]+ tokens over the reservation; cut/);
    expect(markdown).toMatch(/issue text cut: [\d,]+ of [\d,]+ tokens shown/);
  }, 300_000);

  it("2 MB answers at every stage: the run goes on through reproduction and repair within 500,000 tokens and $2", async () => {
    const { report, markdown, prompts } = await runAgainstLyingModel(500_000);
    for (const tokens of prompts) expect(tokens).toBeLessThanOrEqual(MAX_PROMPT);
    expect(report.usage.stages.map((row) => row.stage)).toEqual(
      expect.arrayContaining(["localize.files", "reproduce.sample", "repair.sample"]),
    );
    expect(report.usage.tokens).toBeLessThanOrEqual(500_000);
    expect(report.usage.dollars).toBeLessThanOrEqual(2);
    expect(markdown).toMatch(/Spent [\d,]+ of 500,000 tokens, \$\d+\.\d\d of \$2\.00\./);
  }, 300_000);
});
