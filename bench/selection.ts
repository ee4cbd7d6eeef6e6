// `npm run bench:selection [-- --only Express-1,Express-3] [--json FILE]`: candidate selection on
// real bugs. Pools of scripted candidates built from BugsJS Express bugs with known gold fixes (gold,
// reformatted gold, plausible wrong variants, malformed) go through the real grouping (buildPool)
// and the real validation (validateGroups) in the real Docker sandbox.
// Needs /work/repos/BugsJS/express (the BugsJS fork's history), the dataset, a Docker engine with
// autofix/node:24, and a setup network for `npm install` (AUTOFIX_SANDBOX_SETUP_NETWORK=host,
// AUTOFIX_SANDBOX_CA_BUNDLE=...). Not run in CI. See docs/selection-bench.md.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DockerSandbox } from "../src/sandbox/docker-sandbox.ts";
import { settingsFromEnv } from "../src/sandbox/settings.ts";
import { DEFAULT_REGRESSION_FILES, type Exclusion, type PreparedBug, prepareBug } from "./selection/bug.ts";
import { DEFAULT_DATASET, DEFAULT_GIT_DIR, loadInstances, shortName } from "./selection/dataset.ts";
import { evaluatePool } from "./selection/evaluate.ts";
import { buildBugPools } from "./selection/pools.ts";
import { type BugRow, renderExclusions, renderTable, renderTotals, totalsOf } from "./selection/report.ts";

const HELP = `usage: npm run bench:selection -- [--only Express-1,Express-2] [--json FILE] [--no-compat] [--regression-files N] [--dataset FILE] [--git-dir DIR]

Selection benchmark on real bugs (BugsJS Express). Relies on:
  --dataset   ${DEFAULT_DATASET}
  --git-dir   ${DEFAULT_GIT_DIR} (bare history of the BugsJS fork, read with git show/archive)
  a Docker engine with the autofix/node:24 image, and for the one-time npm install per bug:
  AUTOFIX_SANDBOX_SETUP_NETWORK=host AUTOFIX_SANDBOX_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
--regression-files N (default ${DEFAULT_REGRESSION_FILES}): test files run besides the reproduction files.
--no-compat leaves out the preload that restores Node 20's res._headers (removed in Node 24), which
the bugs' 2014 dependencies (fresh@0.2) read. Tests always run without network. Prepared images are cached (autofix-setup/bench-bugsjs-express-N).`;

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    json: { type: "string" },
    dataset: { type: "string", default: DEFAULT_DATASET },
    "git-dir": { type: "string", default: DEFAULT_GIT_DIR },
    "no-compat": { type: "boolean", default: false },
    "regression-files": { type: "string", default: String(DEFAULT_REGRESSION_FILES) },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
if (settingsFromEnv().setupNetwork === "none") {
  console.error(
    "bench:selection: npm install needs a setup network. Set AUTOFIX_SANDBOX_SETUP_NETWORK=host (and AUTOFIX_SANDBOX_CA_BUNDLE).\n",
  );
  console.error(HELP);
  process.exit(2);
}
const only = values.only ? new Set(values.only.split(",").map((name) => name.trim())) : null;
const instances = loadInstances(values.dataset).filter((i) => !only || only.has(shortName(i)));
const sandbox = await DockerSandbox.connect();
const rows: BugRow[] = [];
const excluded: { bug: string; exclusion: Exclusion }[] = [];
const started = Date.now();

for (const instance of instances) {
  const bug = shortName(instance);
  const at = `[${((Date.now() - started) / 1000).toFixed(0)}s] ${bug}`;
  const prepared = await prepareBug(sandbox, instance, values["git-dir"], {
    compat: !values["no-compat"],
    regressionFiles: Number(values["regression-files"]),
  });
  if (!("image" in prepared)) {
    excluded.push({ bug, exclusion: prepared });
    console.error(`${at}: left out (${prepared.stage}): ${prepared.reason}`);
    continue;
  }
  const row = await evaluateBug(prepared);
  if ("stage" in row) {
    excluded.push({ bug, exclusion: row });
    console.error(`${at}: left out (${row.stage}): ${row.reason}`);
    continue;
  }
  rows.push(row);
  console.error(`${at}: with gold → ${row.withGold.decision}, without → ${row.withoutGold.decision}`);
}

async function evaluateBug(prepared: PreparedBug): Promise<BugRow | Exclusion> {
  const pools = buildBugPools(prepared.gold, prepared.original);
  const withGold = await evaluatePool(sandbox, prepared, pools.withGold);
  if (withGold.goldValidated !== true) {
    return { stage: "gold", reason: `the gold fix is not validated in the sandbox: ${withGold.goldVerdict}` };
  }
  const withoutGold = await evaluatePool(sandbox, prepared, pools.withoutGold);
  return {
    bug: shortName(prepared.instance),
    kept: prepared.reproduction.ids.length,
    selection: prepared.regression.selection?.length ?? 0,
    regressionTests: prepared.regression.baseline.tests.length,
    wrongKinds: pools.wrongKinds,
    withGold,
    withoutGold,
  };
}

const totals = totalsOf(rows, excluded.length);
console.log(renderTable(rows));
console.log(`\n${renderTotals(totals)}`);
console.log(`\nleft out:\n${renderExclusions(excluded)}`);
console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s`);
if (values.json) writeFileSync(values.json, `${JSON.stringify({ totals, rows, excluded }, null, 2)}\n`);
