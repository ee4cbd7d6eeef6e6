import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { offlineAutofix } from "./offline-cli.ts";

const autofix = (args: string[]) => offlineAutofix(args);

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "autofix-rough-"));
}

function pythonDir(): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, "calc.py"), "def add(a, b):\n    return a - b\n");
  return dir;
}

const BILLION_LAUGHS = [
  'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
  ...["b", "c", "d", "e", "f", "g"].map((name, index) => {
    const previous = "abcdefg"[index];
    return `${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(", ")}]`;
  }),
].join("\n");

describe("clear errors for the CLI's rough edges (exit 2, before Docker or the model is called)", () => {
  it("bounds --timeout instead of letting a huge one fire at once", () => {
    const result = autofix(["sandbox", "run", "--repo", pythonDir(), "--timeout", "3000000", "--", "true"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--timeout 3000000: the wall-clock limit must be from 0.1 to 86400 seconds",
    );
    expect(result.stderr).toContain("→ Pass the limit in seconds");
  });

  it("names a missing --repo for sandbox run, test and fix", () => {
    const sandboxRun = autofix(["sandbox", "run", "--repo", "/nonexistent/repo", "--", "true"]);
    expect(sandboxRun.code).toBe(2);
    expect(sandboxRun.stderr).toContain("--repo /nonexistent/repo: no such directory");
    expect(sandboxRun.stderr).not.toContain("ENOENT");
    const test = autofix(["test", "--repo", "/nonexistent/repo"]);
    expect(test.code).toBe(2);
    expect(test.stderr).toContain("--repo /nonexistent/repo: no such directory");
    expect(test.stderr).not.toContain("No tests found");
    const out = tempDir();
    const fix = autofix(["fix", "--repo", "/nonexistent/repo", "--issue-text", "bug", "--out", out]);
    expect(fix.code).toBe(2);
    expect(fix.stderr).toContain("No directory at /nonexistent/repo");
    const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as { stopped?: string };
    expect(report.stopped).toMatch(/^the run could not start: No directory at \/nonexistent\/repo/);
  });

  it("refuses a billion-laughs config naming the file, in config check and fix", () => {
    const dir = tempDir();
    const file = path.join(dir, "laughs.yml");
    writeFileSync(file, BILLION_LAUGHS);
    const check = autofix(["config", "check", file]);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(`${file}: YAML refused: Excessive alias count`);
    const repo = pythonDir();
    execFileSync("git", ["init", "-q"], { cwd: repo });
    execFileSync(
      "git",
      ["-c", "user.email=t@e", "-c", "user.name=t", "commit", "-qm", "x", "--allow-empty"],
      {
        cwd: repo,
      },
    );
    const fix = autofix(["fix", "--repo", repo, "--issue-text", "bug", "--config", file, "--out", tempDir()]);
    expect(fix.code).toBe(2);
    expect(fix.stderr).toContain(`${file}: YAML refused: Excessive alias count`);
  });

  it("says a directory is not a git repository, or has no commit, instead of abstaining", () => {
    const plain = pythonDir();
    const notGit = autofix(["fix", "--repo", plain, "--issue-text", "add subtracts", "--out", tempDir()]);
    expect(notGit.code).toBe(2);
    expect(notGit.stderr).toContain(`${plain} is not a git repository.`);
    expect(notGit.stdout).not.toContain("abstained");
    const empty = pythonDir();
    execFileSync("git", ["init", "-q"], { cwd: empty });
    const noCommit = autofix(["fix", "--repo", empty, "--issue-text", "add subtracts", "--out", tempDir()]);
    expect(noCommit.code).toBe(2);
    expect(noCommit.stderr).toContain(`${empty} is a git repository without any commit.`);
    expect(noCommit.stderr).toContain("git commit");
  });

  it("checks --memory and --image before the engine sees them", () => {
    const repo = pythonDir();
    const memory = autofix(["sandbox", "run", "--repo", repo, "--memory", "1k", "--", "true"]);
    expect(memory.code).toBe(2);
    expect(memory.stderr).toContain("--memory 1k: 1024 bytes is below the sandbox's minimum of 16m.");
    expect(memory.stderr).not.toContain("HTTP code");
    for (const image of ["x@sha256:bad", "Upper/Case:1", "a:b:c"]) {
      const result = autofix(["sandbox", "run", "--repo", repo, "--image", image, "--", "true"]);
      expect(result.code, image).toBe(2);
      expect(result.stderr).toContain(`--image ${JSON.stringify(image)} is not a Docker image reference.`);
    }
    const testImage = autofix(["test", "--repo", repo, "--image", "x@sha256:bad"]);
    expect(testImage.code).toBe(2);
    expect(testImage.stderr).toContain("is not a Docker image reference");
  });

  it("accepts well-formed limits and images up to the engine (which does not answer here)", () => {
    const repo = pythonDir();
    const args = ["--timeout", "86400", "--memory", "16m", "--image", "localhost:5000/autofix/python:3"];
    const result = autofix(["sandbox", "run", "--repo", repo, ...args, "--", "true"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("The Docker engine does not answer");
  });
});
