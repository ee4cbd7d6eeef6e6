import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { AutofixError } from "../errors.ts";

const SHOWN = 3;

/**
 * Refuses an output directory that holds files some git repository tracks (a repository that
 * commits `autofix-out/…`, with `fix` run inside it): writing there would overwrite the
 * repository's own files, links or not. Checked on the nearest existing folder of `dir`; git runs
 * with fsmonitor and hooks off, since the folder may belong to a repository nobody vetted.
 */
export function refuseTrackedOutDir(dir: string): void {
  const absolute = path.resolve(dir);
  let existing = absolute;
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const tracked = trackedUnder(existing, absolute);
  if (tracked.length === 0) return;
  const shown = tracked.slice(0, SHOWN).join(", ");
  const more = tracked.length > SHOWN ? ` and ${tracked.length - SHOWN} more` : "";
  throw new AutofixError(
    "cli.out_tracked",
    `Cannot write the report to ${absolute}: a git repository tracks files there (${shown}${more}), which the report would overwrite.`,
    { hint: "Pass --out with a directory of your own, outside the repository.", context: { dir: absolute } },
  );
}

function trackedUnder(cwd: string, dir: string): string[] {
  try {
    const output = execFileSync(
      "git",
      [
        "-c",
        "core.fsmonitor=false",
        "-c",
        "core.hooksPath=/dev/null",
        "ls-files",
        "-z",
        "--full-name",
        "--",
        dir,
      ],
      { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 16 * 1024 ** 2 },
    );
    return output.split("\0").filter(Boolean);
  } catch {
    // Not inside a git work tree (or no git): nothing there is tracked.
    return [];
  }
}
