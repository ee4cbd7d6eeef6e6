import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { AutofixError } from "../../src/errors.ts";
import type { Edit } from "../../src/repair/types.ts";
import { answerWith, editsBetween } from "./express-bug-edit.ts";
import { REPRODUCTION_TEST, REPRODUCTION_TEST_ID, REPRODUCTION_TEST_PATH } from "./express-bug-repro.ts";

/**
 * A real bug in a published package, for end-to-end tests of `autofix fix` without GitHub: BugsJS
 * Express-1 (expressjs/express#2458) in express@4.10.6 from npm, fixed in 4.10.7. Built from the cache
 * that `bash scripts/fixtures/prepare-express.sh` fills on the host (npm registry, once).
 */
export type ExpressBugFixture = {
  /** A temporary git repository: express@4.10.6, its node_modules, a `node --test` test script. */
  dir: string;
  commit: string;
  /** The issue as reported (BugsJS dataset, `problem_statement` of BugsJS__Express-1). */
  issueText: string;
  /** Fails on `dir` (an assertion on the Allow header), passes with `goldEdits` applied. Not committed. */
  reproductionTest: { path: string; content: string; id: string };
  /** The fix of express@4.10.7 (= the BugsJS gold patch) as SEARCH/REPLACE edits, and as a model answer. */
  goldEdits: Edit[];
  goldAnswer: string;
  cleanup(): void;
};

export const EXPRESS_BUG_VERSION = "4.10.6";
const FIXED_FILE = "lib/router/index.js";
const FIXED_DATE = "2014-12-13T00:00:00Z";
const ISSUE_TEXT =
  "Should you have duplicate handlers for a single method, the Allow header in response to OPTIONS " +
  "will contain the same method twice. E.g. GET, GET, POST.";

export function expressFixtureCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.AUTOFIX_CACHE_DIR ?? path.join(homedir(), ".cache", "autofix");
  return path.join(root, "fixtures", `express-${EXPRESS_BUG_VERSION}`);
}

/** Whether the prepare step has run (tests skip loudly without it, and fail with CI set). */
export function expressFixturePrepared(env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(path.join(expressFixtureCacheDir(env), ".prepared"));
}

export async function expressBugRepo(env: NodeJS.ProcessEnv = process.env): Promise<ExpressBugFixture> {
  const cache = expressFixtureCacheDir(env);
  if (!expressFixturePrepared(env)) {
    throw new AutofixError("fixture_not_prepared", `The Express bug fixture is not in ${cache}.`, {
      hint: "Run `bash scripts/fixtures/prepare-express.sh` (needs the npm registry), as `npm test` does.",
    });
  }
  const dir = mkdtempSync(path.join(tmpdir(), "autofix-express-bug-"));
  cpSync(path.join(cache, "repo"), dir, { recursive: true });
  const pkgFile = path.join(dir, "package.json");
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as Record<string, unknown>;
  pkg.scripts = { test: "node --test" };
  delete pkg.devDependencies;
  writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      ["-c", "user.name=autofix fixture", "-c", "user.email=fixture@autofix.invalid", ...args],
      {
        cwd: dir,
        // A fixed date: the same tree gives the same commit, so the sandbox's setup cache is reused.
        env: { ...process.env, GIT_AUTHOR_DATE: FIXED_DATE, GIT_COMMITTER_DATE: FIXED_DATE },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      },
    ).trim();
  git("init", "--quiet", "--initial-branch=main");
  git("add", "--all");
  git("commit", "--quiet", "--no-gpg-sign", "-m", `express@${EXPRESS_BUG_VERSION} from npm`);
  const before = readFileSync(path.join(dir, FIXED_FILE), "utf8");
  const after = readFileSync(path.join(cache, "fixed", FIXED_FILE), "utf8");
  const goldEdits = editsBetween(FIXED_FILE, before, after);
  return {
    dir,
    commit: git("rev-parse", "HEAD"),
    issueText: ISSUE_TEXT,
    reproductionTest: { path: REPRODUCTION_TEST_PATH, content: REPRODUCTION_TEST, id: REPRODUCTION_TEST_ID },
    goldEdits,
    goldAnswer: answerWith(
      goldEdits,
      "The OPTIONS response appends every route's methods, duplicates included. Append each method once:",
    ),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
