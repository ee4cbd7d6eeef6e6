import { describe, expect, it } from "vitest";
import {
  emptyStatus,
  renderStatus,
  STATUS_MARKER,
  withProgress,
  withReport,
} from "../../src/publish/status-comment.ts";
import { fixReport } from "../support/report-fixture.ts";

const budget = { tokens: 500_000, dollars: 2 };

describe("the status comment", () => {
  it("starts with the hidden marker and lists every stage as not started", () => {
    const text = renderStatus(emptyStatus(budget));
    expect(text.startsWith(`${STATUS_MARKER}\n`)).toBe(true);
    expect(text).toContain("⏳ autofix is working on this issue");
    expect(text.match(/^- ⬜ /gm)).toHaveLength(4);
    expect(text).toContain("Spent 0 of 500,000 tokens, $0.00 of $2.00.");
  });

  it("marks earlier stages done when a later one reports, with their figures and the spend so far", () => {
    let view = emptyStatus(budget);
    view = withProgress(view, {
      stage: "localize",
      state: "running",
      figures: { files: 3 },
      tokens: 1_200,
      dollars: 0.01,
    });
    view = withProgress(view, {
      stage: "localize",
      state: "running",
      figures: { elements: 7 },
      tokens: 2_000,
      dollars: 0.02,
    });
    expect(renderStatus(view)).toContain("- ⏳ Localization — files: 3, elements: 7");
    view = withProgress(view, {
      stage: "reproduce",
      state: "running",
      figures: {},
      tokens: 9_876,
      dollars: 0.125,
    });
    const text = renderStatus(view);
    expect(text).toContain("- ✅ Localization — files: 3, elements: 7");
    expect(text).toContain("- ⏳ Reproduction");
    expect(text).toContain("- ⬜ Repair");
    expect(text).toContain("Spent 9,876 of 500,000 tokens, $0.13 of $2.00.");
  });

  it("shows an unfinished stage as stopped, not in progress, once the run is over", () => {
    const view = withProgress(emptyStatus(budget), {
      stage: "repair",
      state: "running",
      figures: { candidates: 4 },
      tokens: 10,
      dollars: 0,
    });
    const text = renderStatus({ ...view, state: "failed", message: "**Error:** boom" });
    expect(text).toContain("### ❌ autofix failed");
    expect(text).toContain("- ⏹️ Repair — candidates: 4");
    expect(text).not.toContain("⏳");
    expect(text.endsWith("**Error:** boom")).toBe(true);
  });

  it("is a pure function of the view", () => {
    const view = { ...emptyStatus(budget), state: "done" as const, pullRequestUrl: "https://x/pull/1" };
    expect(renderStatus(view)).toBe(renderStatus(structuredClone(view)));
    expect(renderStatus(view)).toContain("Pull request: https://x/pull/1");
  });

  it("folds the run's report in: every stage done, with the report's figures and spend", () => {
    const running = withProgress(emptyStatus(budget), {
      stage: "localize",
      state: "running",
      figures: { "files ranked": 9 },
      tokens: 100,
      dollars: 0.01,
    });
    const text = renderStatus({ ...withReport(running, fixReport("patch", "c".repeat(40))), state: "done" });
    expect(text).toContain("- ✅ Localization — files ranked: 9, files: 1, elements: 1");
    expect(text).toContain("- ✅ Reproduction — tests written: 1, tests kept: 1");
    expect(text).toContain("- ✅ Repair — candidates: 3, groups: 1");
    expect(text).toContain("- ✅ Validation — validated: 1");
    expect(text).toContain("Spent 3,000 of 500,000 tokens, $0.04 of $2.00.");
  });
});
