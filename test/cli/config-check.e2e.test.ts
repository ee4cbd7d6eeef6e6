import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "../../bin/autofix.js");

function autofix(args: string[], cwd: string) {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 20_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function tempFile(name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "autofix-config-"));
  writeFileSync(join(dir, name), text);
  return { dir, file: name };
}

describe("autofix config check", () => {
  it("exits 2 with one clear line per problem: wrong type, unknown key, negative budget", () => {
    const { dir, file } = tempFile("bad.yml", "label: 3\nlocalization:\n  maxFiles: -1\nbogus: true\n");
    const result = autofix(["config", "check", file], dir);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toEqual([
      "bad.yml:1: label: expected a string, got the number 3",
      "bad.yml:3: localization.maxFiles: the number -1 is too small: must be ≥ 1",
      expect.stringMatching(/^bad\.yml:4: bogus: unknown key; allowed here: _extends, label, /),
      "3 problem(s); see docs/config.md for every key.",
    ]);
  });

  it("exits 0 on a valid file and prints the resolved budgets, marking defaults", () => {
    const { dir, file } = tempFile("ok.yml", "localization:\n  maxFiles: 5\n");
    const result = autofix(["config", "check", file], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("ok.yml: valid");
    expect(result.stdout).toContain("  localization.maxFiles: 5\n");
    expect(result.stdout).toContain("  localization.locationSets: 4  (default)");
    expect(result.stdout).toContain("  limits.maxDollarsPerRun: 2  (default)");
  });

  it("prints JSON on request and reports a YAML syntax error as a problem", () => {
    const { dir, file } = tempFile("broken.yml", "label: [autofix\n");
    const result = autofix(["config", "check", file, "--json"], dir);
    expect(result.code).toBe(2);
    const body = JSON.parse(result.stdout) as { valid: boolean; problems: { message: string }[] };
    expect(body.valid).toBe(false);
    expect(body.problems[0]?.message).toMatch(/^YAML syntax error/);
  });

  it("says so when the named file is missing, and uses defaults when no file is named and none exists", () => {
    const { dir } = tempFile("unrelated.txt", "");
    expect(autofix(["config", "check", "nope.yml"], dir)).toMatchObject({
      code: 2,
      stderr: "nope.yml: no such file\n",
    });
    const defaults = autofix(["config", "check"], dir);
    expect(defaults.code).toBe(0);
    expect(defaults.stdout).toContain(".github/autofix.yml: not found, so every default applies");
  });

  it("autofix fix refuses an empty --issue-text, and --issue together with --issue-text", () => {
    const { dir } = tempFile("issue.md", "Title\nbody");
    const empty = autofix(["fix", "--repo", ".", "--issue-text", "  "], dir);
    expect(empty.code).toBe(2); // invalid input
    expect(empty.stderr).toContain("The issue text is empty: there is nothing to fix.");
    const both = autofix(["fix", "--repo", ".", "--issue", "issue.md", "--issue-text", "x"], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/option '--issue <file>' cannot be used with option '--issue-text <text>'/);
  });

  it("autofix fix without an issue says what to pass instead of crashing", () => {
    const { dir } = tempFile("unrelated.txt", "");
    const result = autofix(["fix", "--repo", "."], dir);
    expect(result.code).toBe(2); // invalid input
    expect(result.stderr).toContain("No issue given.\n  → Pass --issue FILE or --issue-text TEXT.");
  });
});
