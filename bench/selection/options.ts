import { parseArgs } from "node:util";
import { AutofixError } from "../../src/errors.ts";
import { DEFAULT_REGRESSION_FILES } from "./bug.ts";
import { isProjectName, PROJECTS, type ProjectName } from "./projects.ts";

export type BenchOptions = {
  /** A directory holding the checkouts: `<repos>/BugsJS/<fork>`. */
  repos: string;
  projects: ProjectName[];
  /** Recorded instances (e.g. BugsJS Express with FAIL_TO_PASS_approx) used instead of the tags' own. */
  instances: string | null;
  only: Set<string> | null;
  json: string | null;
  compat: boolean;
  regressionFiles: number;
  help: boolean;
};

export const REPOS_ENV = "AUTOFIX_REPOS";

export const HELP = `usage: npm run bench:selection -- --repos DIR [--projects ${Object.keys(PROJECTS).join(",")}]
    [--only Hexo-3,Express-1] [--instances FILE.jsonl] [--json FILE] [--no-compat] [--regression-files N]

Selection benchmark on real bugs (BugsJS), through buildPool + validateGroups in the Docker sandbox.
  --repos DIR        a directory holding the checkouts: DIR/BugsJS/<fork> for each project (a bare
                     repository or a work tree with the Bug-N, Bug-N-test, Bug-N-full tags);
                     default $${REPOS_ENV}
  --projects LIST    BugsJS projects to run (default: all of ${Object.keys(PROJECTS).join(", ")})
  --instances FILE   recorded instances (SWE-bench style jsonl with FAIL_TO_PASS_approx) that replace
                     the ones built from the tags; without it FAIL_TO_PASS is established in the
                     sandbox (test_patch tests failing on the buggy code and passing with the fix)
  --regression-files N (default ${DEFAULT_REGRESSION_FILES}): test files run besides the reproduction files
  --no-compat        leaves out the preload that restores Node 20's res._headers (removed in Node 24)
Needs a Docker engine with autofix/node:24, and for the one-time npm install per bug:
  AUTOFIX_SANDBOX_SETUP_NETWORK=host AUTOFIX_SANDBOX_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt`;

/** The bench's options from its arguments and environment; a missing or unknown value names its flag. */
export function benchOptions(args: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      repos: { type: "string" },
      projects: { type: "string" },
      instances: { type: "string" },
      only: { type: "string" },
      json: { type: "string" },
      "no-compat": { type: "boolean", default: false },
      "regression-files": { type: "string", default: String(DEFAULT_REGRESSION_FILES) },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const list = (text: string | undefined) =>
    text === undefined
      ? null
      : text
          .split(",")
          .map((item) => item.trim())
          .filter((item) => item !== "");
  const repos = values.repos ?? env[REPOS_ENV] ?? "";
  if (repos === "" && !values.help) {
    throw new AutofixError("config", `bench:selection: --repos DIR (or $${REPOS_ENV}) is required`, {
      hint: "a directory holding the checkouts, DIR/BugsJS/<fork> (e.g. DIR/BugsJS/hexo)",
    });
  }
  const projectNames = list(values.projects) ?? Object.keys(PROJECTS);
  const unknown = projectNames.filter((name) => !isProjectName(name));
  if (unknown.length > 0) {
    throw new AutofixError("config", `bench:selection: --projects: unknown project ${unknown.join(", ")}`, {
      hint: `known: ${Object.keys(PROJECTS).join(", ")}`,
    });
  }
  const regressionFiles = Number(values["regression-files"]);
  if (!Number.isInteger(regressionFiles) || regressionFiles < 0) {
    throw new AutofixError("config", "bench:selection: --regression-files takes a whole number ≥ 0");
  }
  const only = list(values.only);
  return {
    repos,
    projects: projectNames.filter(isProjectName),
    instances: values.instances ?? null,
    only: only === null ? null : new Set(only),
    json: values.json ?? null,
    compat: !values["no-compat"],
    regressionFiles,
    help: values.help,
  };
}
