import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Read-only access to a bare repository's history (no work tree, no checkout of the clone). */
export function gitShow(gitDir: string, commit: string, file: string): string | null {
  try {
    return execFileSync("git", ["--git-dir", gitDir, "show", `${commit}:${file}`], {
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
  const archive = execFileSync("git", ["--git-dir", gitDir, "archive", "--format=tar", commit], {
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  return dir;
}
