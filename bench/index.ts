// `npm run bench -- index --repo DIR [--commit SHA] [--other SHA] [--workers N]`: what building the code
// index costs on a large repository. The commits default to sympy's at two SWE-bench base commits, so
// --repo is meant to be a sympy clone; without --repo, $AUTOFIX_REPOS/sympy/sympy (a directory holding
// the checkouts).
//  1. the floor: read + tree-sitter-parse the same files, single-threaded, no queries, no index;
//  2. cold: an empty cache (parse every file, build BM25, write the caches);   target ≤ 2 × floor
//  3. warm: the same commit again (the whole index from the cache);           target ≤ 1 s
//  4. another commit of the same repository with the parse cache warm (what an eval run mostly pays).
// Each phase runs in its own process: seconds (wall), CPU seconds, peak RSS (resourceUsage().maxRSS).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { GitWorkspace } from "../src/workspace/git-workspace.ts";

const SYMPY_IN_REPOS = join("sympy", "sympy");

const { values } = parseArgs({
  options: {
    repo: { type: "string" },
    commit: { type: "string", default: "aa9780761ad8c3c0f68beeef3a0ce5caac9e100b" },
    other: { type: "string", default: "d7c3045115693e887bcd03599b7ca4650ac5f2cb" },
    workers: { type: "string" },
    runs: { type: "string", default: "1" },
  },
});

const repo =
  values.repo ?? (process.env.AUTOFIX_REPOS ? join(process.env.AUTOFIX_REPOS, SYMPY_IN_REPOS) : null);
if (repo === null) {
  console.error(
    "bench index: --repo DIR is required (a sympy clone), or $AUTOFIX_REPOS (a directory holding the checkouts, with sympy/sympy in it)",
  );
  process.exit(2);
}
const scratch = mkdtempSync(join(tmpdir(), "autofix-bench-index-"));
const workspace = new GitWorkspace({ cacheRoot: join(scratch, "workspace") });
const snapshot = await workspace.materialize({ kind: "local", path: repo }, { commit: values.commit });
const other = await workspace.materialize({ kind: "local", path: repo }, { commit: values.other });
const cacheRoot = join(scratch, "index-cache");
const phases = join(import.meta.dirname, "index-phases.ts");

type Result = {
  phase: string;
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  [key: string]: unknown;
};
function run(phase: string, root: string, identity: string): Result {
  const args = [
    phases,
    phase,
    root,
    cacheRoot,
    identity,
    ...(values.workers === undefined ? [] : [values.workers]),
  ];
  const child = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`${phase} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}") as Result;
}

const rows: [string, Result][] = [];
for (let i = 0; i < Number(values.runs); i++) {
  rmSync(cacheRoot, { recursive: true, force: true });
  rows.push(["floor (read + parse)", run("floor", snapshot.root, "floor")]);
  rows.push(["cold index", run("build", snapshot.root, `${snapshot.repoKey}@${snapshot.commit}`)]);
  rows.push([
    "warm index (same commit)",
    run("build", snapshot.root, `${snapshot.repoKey}@${snapshot.commit}`),
  ]);
  rows.push(["other commit, parse cache warm", run("build", other.root, `${other.repoKey}@${other.commit}`)]);
}

console.log(
  `code index benchmark: ${repo} @ ${values.commit.slice(0, 12)} (other: ${values.other.slice(0, 12)})`,
);
console.log(
  `${"phase".padEnd(34)}${"wall s".padStart(9)}${"cpu s".padStart(9)}${"peak MB".padStart(9)}  files`,
);
for (const [label, result] of rows) {
  console.log(
    `${label.padEnd(34)}${result.seconds.toFixed(2).padStart(9)}${result.cpuSeconds.toFixed(2).padStart(9)}${String(result.maxRssMb).padStart(9)}  ${result.files ?? ""}`,
  );
}
const floor = rows.find(([label]) => label.startsWith("floor"))?.[1].seconds ?? Number.NaN;
const cold = rows.find(([label]) => label === "cold index")?.[1].seconds ?? Number.NaN;
const warm = rows.find(([label]) => label.startsWith("warm"))?.[1].seconds ?? Number.NaN;
console.log(
  `\ncold / floor = ${(cold / floor).toFixed(2)} (target ≤ 2); warm = ${warm.toFixed(2)} s (target ≤ 1 s)`,
);
rmSync(scratch, { recursive: true, force: true });
