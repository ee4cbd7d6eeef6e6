import { closeSync, constants, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { AutofixError } from "../errors.ts";

/**
 * The output directory, made or verified before a run spends anything: an absolute path none of whose
 * existing parts is a symbolic link, ending in a real directory. A repository that commits
 * `autofix-out/report.md -> /some/file` cannot make autofix write through it.
 */
export function prepareOutDir(dir: string): string {
  const absolute = path.resolve(dir);
  const parts = absolute.split(path.sep).filter(Boolean);
  let current = path.parse(absolute).root;
  for (const part of parts) {
    current = path.join(current, part);
    const stat = lstatOrNull(current);
    if (stat === null) {
      mkdirSync(current);
      continue;
    }
    if (stat.isSymbolicLink()) throw unsafe(absolute, `${current} is a symbolic link`);
    if (!stat.isDirectory()) throw unsafe(absolute, `${current} exists and is not a directory`);
  }
  return absolute;
}

/**
 * Writes `name` in `dir` atomically: a new temporary file (never through a link), then a rename,
 * which replaces a link of that name rather than writing to its target.
 */
export function writeOutFile(dir: string, name: string, content: string): string {
  const target = path.join(dir, name);
  const temporary = path.join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o644,
  );
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, target);
  return target;
}

/** Removes an earlier run's output (a link is removed, never followed). */
export function removeOutFile(dir: string, name: string): void {
  rmSync(path.join(dir, name), { force: true });
}

function lstatOrNull(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

function unsafe(dir: string, why: string): AutofixError {
  return new AutofixError("cli.out_unsafe", `Cannot write the report to ${dir}: ${why}.`, {
    hint: "Pass --out with a directory of your own (no symbolic links on its path).",
    context: { dir },
  });
}
