import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { offlineAutofix } from "./offline-cli.ts";

const autofix = (args: string[], cwd: string) => offlineAutofix(args, cwd);

/** A committed repository whose files are given; `links` are symbolic links committed with it. */
function hostileRepo(files: Record<string, string>, links: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "autofix-hostile-"));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  for (const [file, target] of Object.entries(links)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    symlinkSync(target, path.join(dir, file));
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "hostile");
  return dir;
}

describe("a hostile repository cannot make the CLI read or write outside it", () => {
  it("autofix fix run inside a repo that commits autofix-out/report.md -> a host file refuses that --out and touches nothing", () => {
    const host = mkdtempSync(path.join(tmpdir(), "autofix-host-"));
    const victim = path.join(host, "victim.txt");
    writeFileSync(victim, "precious\n");
    const repo = hostileRepo(
      { "calc.py": "def add(a, b):\n    return a - b\n", "test_calc.py": "" },
      {
        "autofix-out/report.md": victim,
        "autofix-out/report.json": victim,
        "autofix-out/patch.diff": victim,
      },
    );
    const result = autofix(["fix", "--repo", repo, "--issue-text", "add subtracts"], repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("a git repository tracks files there (autofix-out/patch.diff");
    expect(result.stderr).toContain("--out with a directory of your own");
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    for (const name of ["report.md", "report.json", "patch.diff"]) {
      expect(lstatSync(path.join(repo, "autofix-out", name)).isSymbolicLink()).toBe(true);
    }
    // The same run with an --out of the user's own writes its report there.
    const out = path.join(host, "out");
    const own = autofix(["fix", "--repo", repo, "--issue-text", "add subtracts", "--out", out], repo);
    expect(own.code).not.toBe(0);
    expect(readFileSync(path.join(out, "report.md"), "utf8")).toMatch(/\S/);
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
  });

  it("does not follow .github/autofix.yml linked to a host file, nor echo its values", () => {
    const host = mkdtempSync(path.join(tmpdir(), "autofix-host-"));
    const secret = path.join(host, "secret.yml");
    writeFileSync(secret, "sandbox:\n  memory: host-secret-token-1234\n");
    const repo = hostileRepo({ "calc.py": "x = 1\n", "test_calc.py": "" }, { ".github/autofix.yml": secret });
    for (const args of [
      ["sandbox", "run", "--repo", repo, "--", "true"],
      ["test", "--repo", repo],
      ["fix", "--repo", repo, "--issue-text", "bug", "--out", path.join(host, "out")],
    ]) {
      const result = autofix(args, host);
      expect(`${result.stdout}${result.stderr}`).not.toContain("host-secret-token-1234");
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/not a valid autofix config/);
    }
  });
});
