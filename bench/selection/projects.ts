import { execFileSync } from "node:child_process";
import path from "node:path";
import { AutofixError } from "../../src/errors.ts";
import type { BugInstance } from "./dataset.ts";

type Project = {
  /** The fork's folder under `<repos>/BugsJS/`. */
  fork: string;
  /**
   * Install scripts of dependencies run after `npm install --ignore-scripts`, the ones the tests
   * need: hexo-util ≥ 0.5 writes `highlight_alias.json` in its postinstall (the whole `npm rebuild`
   * was killed, exit 137, while core-js's postinstall ran).
   */
  rebuild: readonly string[];
};

/**
 * The BugsJS projects the bench knows, by the name BugsJS gives them. Chosen because their suites
 * are plain mocha and need no service (Karma needs coffee-script/babel 5 compilers; Pencilblue,
 * Mongoose and Node-redis a database; Bower the network).
 */
export const PROJECTS = {
  Express: { fork: "express", rebuild: [] },
  Hexo: { fork: "hexo", rebuild: ["hexo-util"] },
  "Hessian.js": { fork: "hessian.js", rebuild: [] },
} as const satisfies Record<string, Project>;

export type ProjectName = keyof typeof PROJECTS;

export function isProjectName(name: string): name is ProjectName {
  return Object.hasOwn(PROJECTS, name);
}

/** Where a project's fork is: a bare repository or a work tree, read with `git -C`. */
export function forkDir(repos: string, project: ProjectName): string {
  return path.join(repos, "BugsJS", PROJECTS[project].fork);
}

function git(dir: string, args: readonly string[]): string {
  return execFileSync("git", ["-C", dir, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Bug numbers of a fork: its `Bug-N` tags (each with `Bug-N-test` and `Bug-N-full`). */
export function bugNumbers(tags: readonly string[]): number[] {
  const all = new Set(tags);
  return tags
    .flatMap((tag) => {
      const n = /^Bug-(\d+)$/.exec(tag)?.[1];
      return n !== undefined && all.has(`${tag}-test`) && all.has(`${tag}-full`) ? [Number(n)] : [];
    })
    .sort((a, b) => a - b);
}

/**
 * A project's bugs built from the fork's tags as BugsJS defines them: `Bug-N` is the buggy code,
 * `Bug-N-test` adds the fix's tests, `Bug-N-full` adds the fix. patch = diff Bug-N-test..Bug-N-full,
 * test_patch = diff Bug-N..Bug-N-test. FAIL_TO_PASS is left to the bench to establish in the
 * sandbox (the tests of test_patch failing on the buggy code and passing with the fix).
 */
export function instancesFromTags(repos: string, project: ProjectName): BugInstance[] {
  const dir = forkDir(repos, project);
  let tags: string[];
  try {
    tags = git(dir, ["tag", "--list", "Bug-*"]).split("\n");
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new AutofixError(
      "config",
      `bench:selection: no git history of ${project} at ${dir} (--repos DIR must hold BugsJS/${PROJECTS[project].fork}): ${why}`,
    );
  }
  const commit = (tag: string) => git(dir, ["rev-parse", `${tag}^{commit}`]).trim();
  return bugNumbers(tags).map((n) => {
    const bug = `Bug-${n}`;
    return {
      instance_id: `BugsJS__${project}-${n}`,
      base_commit: commit(bug),
      test_commit: commit(`${bug}-test`),
      fixed_commit: commit(`${bug}-full`),
      problem_statement: "",
      patch: git(dir, ["diff", `${bug}-test`, `${bug}-full`]),
      test_patch: git(dir, ["diff", bug, `${bug}-test`]),
    };
  });
}
