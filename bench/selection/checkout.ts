import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Read-only access to a repository's history: `dir` is a bare repository or a work tree (its files
 * are never read or changed; only commits are).
 */
export function gitShow(gitDir: string, commit: string, file: string): string | null {
  try {
    return execFileSync("git", ["-C", gitDir, "show", `${commit}:${file}`], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    return null;
  }
}

/** The tree of `commit` written to a fresh temporary directory (`git archive`, no .git). */
export function exportTree(gitDir: string, commit: string, label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `autofix-bench-${label}-`));
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync("git", ["-C", gitDir, "archive", "--format=tar", commit], {
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  return dir;
}
