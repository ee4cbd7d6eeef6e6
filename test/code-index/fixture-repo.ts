import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Helpers shared by the localization tests: fixture repositories copied to temp dirs, made into git repos. */

export const FIXTURES = fileURLToPath(new URL("../fixtures/localize", import.meta.url));

const made: string[] = [];

export function tempDir(prefix = "autofix-loc-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of test/fixtures/localize/<name> in a fresh temp dir. */
export function copyFixture(name: string): string {
  const dir = tempDir();
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  }).trim();
}

/** `git init` + commit everything; returns the commit id. */
export function commitAll(dir: string, message = "fixture"): string {
  if (!existsSync(join(dir, ".git"))) git(dir, "init", "--quiet", "--initial-branch=main");
  git(dir, "add", "--all");
  git(dir, "commit", "--quiet", "--no-gpg-sign", "-m", message);
  return git(dir, "rev-parse", "HEAD");
}

/** Files every skip rule must catch (written next to the fixture's own files). */
export function addFilesToSkip(root: string, outside: string): void {
  writeFiles(root, {
    "build/generated_out.py": "def ignored_by_gitignore():\n    pass\n",
    "debug.log": "ignored\n",
    "big_table.py": `TABLE = [\n${"    1,\n".repeat(180_000)}]\n`,
    "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
    "data.bin.py": Buffer.from([0x64, 0x65, 0x66, 0x00, 0x01]),
    "latin1.py": Buffer.from("name = 'caf\xe9'\n", "latin1"),
    "vendor/left_pad.py": "def left_pad(s):\n    return s\n",
    "static/app.min.js": `var a=1;${"function f(){return 1};".repeat(400)}`,
    "shop/schema_pb2.py": "# proto\nDESCRIPTOR = None\n",
    "shop/autogen.py": "# This file is auto-generated. DO NOT EDIT.\nX = 1\n",
  });
  writeFileSync(join(outside, "secret.py"), "def secret():\n    return 'outside'\n");
  symlinkSync(join(outside, "secret.py"), join(root, "shop", "linked.py"));
  symlinkSync(outside, join(root, "outside_dir"));
}
