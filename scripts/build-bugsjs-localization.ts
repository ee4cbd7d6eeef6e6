// Builds JavaScript localization instances (the shared dev.jsonl format) from BugsJS metadata and the BugsJS forks.
// Usage: node scripts/build-bugsjs-localization.ts --bugsjs <bugsjs dir> --repos <dir> --out <file.jsonl>
//   <bugsjs dir>/projects/<P>_issues.json: the issue texts; <repos>/BugsJS/<name>: a git directory carrying the
//   fork's tags Bug-N (buggy), Bug-N-test (buggy + the fix's tests), Bug-N-full (fix + tests).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

/** BugsJS project name → fork repository name. ESLint is left out (its issues are mostly PR texts). */
const PROJECTS: Record<string, string> = {
  Bower: "bower",
  "Hessian.js": "hessian.js",
  Hexo: "hexo",
  Karma: "karma",
  Mongoose: "mongoose",
  "Node-redis": "node_redis",
  Pencilblue: "pencilblue",
  Shields: "shields",
};

interface IssueEntry {
  id: number;
  orig_id: number;
  description?: string;
}

/** Texts that describe a fix (pull requests) rather than a problem: they would leak the answer. */
const PR_MARKERS = [
  /\b(fix(es|ed)?|close[sd]?|resolve[sd]?)\s+#\d+/i,
  /\brelated to #(issue\b|\d+\s*$)/im,
  /关联\s*issue/i,
  /^issue #\d+\s*$/im,
  /unit tests created/i,
  /\badd(ed)? (new )?tests?\b/i,
  /\btest cases? for the changes/i,
  /\bthis (solves|fixes|pr|pull request)\b/i,
  /\bWIP branch\b/i,
  /\bfix the .* bug introduced in #/i,
];

export function looksLikePullRequest(text: string): boolean {
  return PR_MARKERS.some((marker) => marker.test(text));
}

const TEST_PATH =
  /(^|\/)(test|tests|spec|specs|__tests__|fixtures?|service-tests)\/|\.(spec|test)\.[cm]?[jt]sx?$/i;

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

/** Release bookkeeping a fix commit also touches (version bumps, change logs, docs): not where the bug is. */
const BOOKKEEPING =
  /(^|\/)(package(-lock)?\.json|npm-shrinkwrap\.json|bower\.json|(changelog|history|changes|readme)(\.(md|markdown|txt|rst))?)$|(^|\/)docs?\//i;

export function isBookkeeping(path: string): boolean {
  return BOOKKEEPING.test(path);
}

function git(gitDir: string, args: string[]): string {
  return execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
}

function main(): void {
  const { values } = parseArgs({
    options: { bugsjs: { type: "string" }, repos: { type: "string" }, out: { type: "string" } },
  });
  if (!values.bugsjs || !values.repos || !values.out) {
    console.error("usage: build-bugsjs-localization.ts --bugsjs DIR --repos DIR --out FILE");
    process.exit(2);
  }
  const lines: string[] = [];
  const dropped: string[] = [];
  for (const [project, name] of Object.entries(PROJECTS)) {
    const gitDir = join(values.repos, "BugsJS", name);
    if (!existsSync(gitDir)) {
      dropped.push(`${project}: repository absent`);
      continue;
    }
    const parsed: unknown = JSON.parse(
      readFileSync(join(values.bugsjs, "projects", `${project}_issues.json`), "utf8"),
    );
    const entries = (parsed as { bugs: IssueEntry[] }).bugs;
    const ids = [...new Set(entries.map((entry) => entry.id))].sort((a, b) => a - b);
    for (const id of ids) {
      const instanceId = `BugsJS__${project}-${id}`;
      const texts = entries
        .filter((entry) => entry.id === id)
        .map((entry) => entry.description?.trim() ?? "")
        .filter((text) => text !== "");
      const issues = texts.filter((text) => !looksLikePullRequest(text));
      if (issues.length === 0) {
        dropped.push(`${instanceId}: ${texts.length === 0 ? "no issue text" : "only pull-request text"}`);
        continue;
      }
      const base = git(gitDir, ["rev-parse", `Bug-${id}^{commit}`]).trim();
      const changed = git(gitDir, ["diff", "--name-only", `Bug-${id}-test`, `Bug-${id}-full`])
        .split("\n")
        .filter((path) => path !== "" && !isTestPath(path) && !isBookkeeping(path));
      if (!changed.some((path) => /\.[cm]?js$/.test(path))) {
        dropped.push(`${instanceId}: the fix changes no JavaScript source`);
        continue;
      }
      const patch = git(gitDir, ["diff", `Bug-${id}-test`, `Bug-${id}-full`, "--", ...changed]);
      lines.push(
        JSON.stringify({
          instance_id: instanceId,
          repo: `BugsJS/${name}`,
          base_commit: base,
          problem_statement: issues.join("\n\n"),
          patch,
          source: `bugsjs-${project.toLowerCase()}`,
        }),
      );
    }
  }
  writeFileSync(values.out, `${lines.join("\n")}\n`);
  console.log(`wrote ${lines.length} instances to ${values.out}`);
  for (const line of dropped) console.log(`dropped ${line}`);
}

if (import.meta.main) main();
