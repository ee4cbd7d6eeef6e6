import { describe, expect, it } from "vitest";
import { formatProblems, parseConfigText, validateConfig } from "../../src/config/load.ts";

describe("parseConfigText", () => {
  it("fills every default from an empty file, following Agentless where it measured", () => {
    const result = parseConfigText("");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.label).toBe("autofix");
    expect(result.config.localization).toMatchObject({ maxFiles: 3, locationSets: 4, contextLines: 10 });
    expect(result.config.repair).toMatchObject({ candidatesPerSet: 10, temperature: 0.8 });
    expect(result.config.protectedPaths).toEqual([]);
    expect(result.config.pullRequest).toEqual({ draft: true, branchPrefix: "autofix/" });
  });

  it("keeps what is written and defaults the rest of the same section", () => {
    const result = parseConfigText("localization:\n  maxFiles: 5\nlimits:\n  maxDollarsPerRun: 0.5\n");
    expect(result.ok && result.config.localization.maxFiles).toBe(5);
    expect(result.ok && result.config.localization.locationSets).toBe(4);
    expect(result.ok && result.config.limits).toEqual({ maxTokensPerRun: 500_000, maxDollarsPerRun: 0.5 });
  });

  it("names the key path, the value, what is allowed and the line, one line per problem", () => {
    const text = "label: 3\nlocalization:\n  maxFiles: -1\n  maxFile: 2\nsandbox:\n  memory: lots\n";
    const result = parseConfigText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatProblems(result.problems, "a.yml")).toEqual([
      "a.yml:1: label: expected a string, got the number 3",
      "a.yml:3: localization.maxFiles: the number -1 is too small: must be ≥ 1",
      'a.yml:4: localization.maxFile: unknown key (did you mean "maxFiles"?); allowed here: maxFiles, maxElements, maxEditLocations, contextLines, locationSets, maxPromptTokens',
      'a.yml:6: sandbox.memory: got the string "lots"; expected a size like 512m or 2g',
    ]);
  });

  it("reports an unknown top-level key with the keys that are allowed", () => {
    const result = parseConfigText("lable: autofix\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatchObject({ path: "lable", line: 1 });
    expect(result.problems[0]?.message).toContain('did you mean "label"?');
  });

  it("rejects non-integers, too-large values and wrong list types", () => {
    const result = parseConfigText(
      "localization:\n  contextLines: 2.5\nrepair:\n  temperature: 9\nprotectedPaths: x\n",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual([
      "localization.contextLines",
      "repair.temperature",
      "protectedPaths",
    ]);
    expect(result.problems[1]?.message).toBe("the number 9 is too large: must be ≤ 2");
  });

  it("turns YAML syntax errors into problems with a line, not exceptions", () => {
    const result = parseConfigText("label: autofix\nlocalization: [a\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toMatch(/^YAML syntax error: /);
    expect(result.problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it("rejects a config that is not a mapping, and duplicate keys", () => {
    expect(parseConfigText("- a\n- b\n").ok).toBe(false);
    const duplicate = parseConfigText("label: a\nlabel: b\n");
    expect(duplicate.ok).toBe(false);
  });
});

describe("validateConfig", () => {
  it("validates an object already parsed (as Probot's context.config returns it), _extends included", () => {
    const result = validateConfig({ _extends: ".github", caps: { runsPerHour: 2 } });
    expect(result.ok && result.config.caps).toEqual({ maxOpenPullRequests: 3, runsPerHour: 2 });
    expect(validateConfig(null).ok).toBe(true);
    expect(validateConfig({ caps: { runsPerHour: 0 } }).ok).toBe(false);
  });
});
