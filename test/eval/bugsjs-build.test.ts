import { describe, expect, it } from "vitest";
import { isBookkeeping, isTestPath, looksLikePullRequest } from "../../scripts/build-bugsjs-localization.ts";

describe("building the BugsJS localization set", () => {
  it("leaves out texts that describe the fix (pull requests) and keeps bug reports", () => {
    expect(looksLikePullRequest("Fixes #1142\n\n Unit tests created and pass")).toBe(true);
    expect(looksLikePullRequest("Add defaults to console command generate.\nRelated to #Issue")).toBe(true);
    expect(looksLikePullRequest("This solves a bug with JSON + style reported in #1348.")).toBe(true);
    expect(
      looksLikePullRequest(
        "Related to #1097, the URL_REGEXP in karma/lib/reporter.js fails for karma-browserify.",
      ),
    ).toBe(false);
    expect(looksLikePullRequest("Sub-document cannot call ownerDocument( ) after pushing it.")).toBe(false);
  });

  it("takes gold files from source changes only", () => {
    expect(isTestPath("test/model.test.js")).toBe(true);
    expect(isTestPath("lib/make-badge.spec.js")).toBe(true);
    expect(isTestPath("lib/model.js")).toBe(false);
    expect(isBookkeeping("package.json")).toBe(true);
    expect(isBookkeeping("History.md")).toBe(true);
    expect(isBookkeeping("lib/history.js")).toBe(false);
  });
});
