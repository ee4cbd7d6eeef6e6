// `npm run bench:selection -- --repos DIR [--projects Express,Hexo,Hessian.js] [--only Hexo-3] [--json FILE]`:
// candidate selection on real bugs. Pools of scripted candidates built from BugsJS bugs with known
// gold fixes (gold, reformatted gold, plausible wrong variants, malformed) go through the real
// grouping (buildPool) and the real validation (validateGroups) in the real Docker sandbox.
// Needs the BugsJS forks under --repos DIR (or $AUTOFIX_REPOS), a Docker engine with autofix/node:24,
// and a setup network for `npm install`. Not run in CI. See docs/selection-bench.md.
import { writeFileSync } from "node:fs";
import { describeError } from "../src/errors.ts";
import { DockerSandbox } from "../src/sandbox/docker-sandbox.ts";
import { settingsFromEnv } from "../src/sandbox/settings.ts";
import { type Exclusion, type PreparedBug, prepareBug } from "./selection/bug.ts";
import { type BugInstance, loadInstances, shortName } from "./selection/dataset.ts";
import { evaluatePool } from "./selection/evaluate.ts";
import { type BenchOptions, benchOptions, HELP } from "./selection/options.ts";
import { buildBugPools } from "./selection/pools.ts";
import { forkDir, instancesFromTags, PROJECTS, type ProjectName } from "./selection/projects.ts";
import {
  type BugRow,
  renderExclusions,
  renderProjectLine,
  renderTable,
  renderTotals,
  totalsByProject,
  totalsOf,
} from "./selection/report.ts";

let options: BenchOptions;
let bugs: { project: ProjectName; instance: BugInstance }[];
try {
  options = benchOptions(process.argv.slice(2), process.env);
  if (options.help) {
    console.log(HELP);
    process.exit(0);
  }
  const recorded = new Map(
    (options.instances ? loadInstances(options.instances) : []).map((i) => [i.instance_id, i]),
  );
  bugs = options.projects.flatMap((project) =>
    instancesFromTags(options.repos, project).map((built) => ({
      project,
      instance: recorded.get(built.instance_id) ?? built,
    })),
  );
} catch (error) {
  console.error(`${describeError(error)}\n\n${HELP}`);
  process.exit(2);
}
if (settingsFromEnv().setupNetwork === "none") {
  console.error(
    "bench:selection: npm install needs a setup network. Set AUTOFIX_SANDBOX_SETUP_NETWORK=host (and AUTOFIX_SANDBOX_CA_BUNDLE).\n",
  );
  console.error(HELP);
  process.exit(2);
}
const only = options.only;
const selected = bugs.filter(({ instance }) => !only || only.has(shortName(instance)));
const sandbox = await DockerSandbox.connect();
const rows: BugRow[] = [];
const excluded: { bug: string; exclusion: Exclusion }[] = [];
const started = Date.now();

for (const { project, instance } of selected) {
  const bug = shortName(instance);
  const at = () => `[${((Date.now() - started) / 1000).toFixed(0)}s] ${bug}`;
  const prepared = await prepareBug(sandbox, instance, forkDir(options.repos, project), {
    compat: options.compat,
    regressionFiles: options.regressionFiles,
    rebuild: PROJECTS[project].rebuild,
  });
  const row = "image" in prepared ? await evaluateBug(prepared) : prepared;
  if ("stage" in row) {
    excluded.push({ bug, exclusion: row });
    console.error(`${at()}: left out (${row.stage}): ${row.reason}`);
    continue;
  }
  rows.push(row);
  console.error(`${at()}: with gold → ${row.withGold.decision}, without → ${row.withoutGold.decision}`);
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
const byProject = totalsByProject(rows, excluded);
console.log(renderTable(rows));
console.log(`\n${byProject.map(([project, t]) => renderProjectLine(project, t)).join("\n")}`);
console.log(`\n${renderTotals(totals)}`);
console.log(`\nleft out:\n${renderExclusions(excluded)}`);
console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s`);
if (options.json) {
  const projects = Object.fromEntries(byProject);
  writeFileSync(options.json, `${JSON.stringify({ totals, projects, rows, excluded }, null, 2)}\n`);
}
