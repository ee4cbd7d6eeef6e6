import { describe, expect, it } from "vitest";
import type { Report } from "../../src/contract/report.ts";
import { Ledger } from "../../src/llm/ledger.ts";
import { spendVersusCeiling } from "../../src/llm/spend-line.ts";
import { renderReportMarkdown } from "../../src/publish/report-md.ts";
import { spendSection } from "../../src/publish/run-sections.ts";

const NOT_SCREENED: Report["regressionSummary"] = {
  tests: 0,
  passing: 0,
  files: 0,
  scope: "none",
  source: "",
  leftOut: [],
};

function abstained(usage: Report["usage"]): Report {
  return {
    decision: "abstain",
    reason: "the run's budget ran out during repair",
    repo: { key: "local/m", commit: "c0ffee" },
    regressionSummary: NOT_SCREENED,
    localization: { files: [], elements: [], locationSets: [], notices: [] },
    reproduction: { tests: [], kept: [], framework: "pytest" },
    candidates: [],
    groups: [],
    evidence: [],
    usage,
    seconds: 1,
  };
}

describe("spend against the ceilings in the reports", () => {
  it("formats tokens and dollars against their ceilings", () => {
    expect(spendVersusCeiling({ tokens: 412_003, dollars: 1.2149 }, { tokens: 500_000, dollars: 2 })).toBe(
      "412,003 of 500,000 tokens, $1.21 of $2.00",
    );
  });

  it("report.md and the published comment show what the ledger spent of its limits, and its cut notes", () => {
    const ledger = new Ledger({ maxTokens: 500_000, maxDollars: 2 });
    const reservation = ledger.reserve({
      stage: "repair.sample",
      model: "gpt-4o",
      promptTokens: 400_000,
      maxCompletionTokens: 12_003,
    });
    ledger.settle(reservation, "gpt-4o", { promptTokens: 400_000, completionTokens: 99_000 });
    const spent = ledger.report();
    const report = abstained({
      stages: spent.stages,
      tokens: spent.spent.tokens,
      dollars: spent.spent.dollars,
      limits: spent.limits,
      notes: spent.notes,
    });
    const expected = `Spent ${spendVersusCeiling(
      { tokens: 412_003, dollars: spent.spent.dollars },
      { tokens: 500_000, dollars: 2 },
    )}.`;
    expect(spent.spent.tokens).toBe(412_003);
    const md = renderReportMarkdown(report);
    expect(md).toContain(expected);
    expect(md).toMatch(
      /- note: repair\.sample: the endpoint returned 86,997 tokens over the reservation; cut/,
    );
    const comment = spendSection(report, 2);
    expect(comment).toContain(expected);
  });
});
