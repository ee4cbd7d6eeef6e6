// `npm run bench:runners -- --repos DIR [--only express,flask] [--json FILE]`: for each repository of
// bench/runners/corpus.json at its fixed commit, the test files and per-test pass/fail counts of the
// repository's own command (its framework's own reporter) against autofix's discovery and runner, both
// in the same prepared sandbox image. Not run in CI. See docs/runners-bench.md.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { describeError } from "../src/errors.ts";
import { DockerSandbox } from "../src/sandbox/docker-sandbox.ts";
import { BUILT_IN_IMAGES } from "../src/sandbox/images.ts";
import { settingsFromEnv } from "../src/sandbox/settings.ts";
import { runAutofixSide } from "./runners/autofix-side.ts";
import { compareSides, notRunRow, type RepoRow } from "./runners/compare.ts";
import { type CorpusEntry, loadCorpus, shortName } from "./runners/corpus.ts";
import { checkoutOf, prepareEntry } from "./runners/environment.ts";
import { runOwnSide } from "./runners/own-side.ts";
import { renderSummary, renderTable } from "./runners/report.ts";

const HELP = `usage: npm run bench:runners -- --repos DIR [--only express,flask] [--json FILE] [--corpus FILE]

--repos DIR  checkouts at the corpus commits: DIR/<owner>/<name> (e.g. DIR/BugsJS/express), made with
             \`git worktree add --detach\` or \`git archive <commit> | tar -x\`.
Needs a Docker engine with autofix/node:24 and autofix/python:3, and a setup network for the one-time
npm install per repository and the derived Python images (bench/runners/images/):
  AUTOFIX_SANDBOX_SETUP_NETWORK=host AUTOFIX_SANDBOX_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt`;

const { values } = parseArgs({
  options: {
    repos: { type: "string" },
    only: { type: "string" },
    json: { type: "string" },
    corpus: { type: "string", default: path.join(import.meta.dirname, "runners", "corpus.json") },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
if (values.repos === undefined) {
  console.error("bench:runners: --repos DIR is required (the directory holding <owner>/<name> checkouts).\n");
  console.error(HELP);
  process.exit(2);
}
if (settingsFromEnv().setupNetwork === "none") {
  console.error(
    "bench:runners: the one-time setup needs a network: set AUTOFIX_SANDBOX_SETUP_NETWORK=host.\n",
  );
  console.error(HELP);
  process.exit(2);
}
const reposDir = values.repos;
const only = values.only ? new Set(values.only.split(",").map((name) => name.trim())) : null;
const entries = loadCorpus(values.corpus).filter((entry) => !only || only.has(shortName(entry)));
const settings = settingsFromEnv();
// The derived Python images (bench/runners/images/) are the operator's own: allowed by prefix. A larger
// setup cache keeps the corpus's installs (minutes each) from evicting one another.
const sandbox = await DockerSandbox.connect({
  settings: {
    ...settings,
    images: [...(settings.images ?? BUILT_IN_IMAGES), "autofix-bench/*"],
    setupCache: { maxImages: 100, maxBytes: 100 * 1024 ** 3 },
  },
});
const started = Date.now();
const rows: RepoRow[] = [];

async function benchEntry(entry: CorpusEntry): Promise<RepoRow> {
  const identity = { repo: entry.repo, ref: entry.ref, commit: entry.commit };
  if (entry.service !== null) return notRunRow(identity, entry.framework, `needs ${entry.service}`);
  const checkout = checkoutOf(reposDir, entry);
  if ("problem" in checkout) return notRunRow(identity, entry.framework, checkout.problem);
  let image: string;
  try {
    image = await prepareEntry(sandbox, entry, checkout.dir);
  } catch (error) {
    return notRunRow(identity, entry.framework, `setup failed: ${describeError(error).split("\n")[0]}`);
  }
  const timeoutMs = entry.timeoutSeconds * 1000;
  const own = await runOwnSide(sandbox, image, entry, timeoutMs);
  const autofix = await runAutofixSide(sandbox, image, checkout.dir, timeoutMs);
  return compareSides(identity, own, autofix);
}

for (const entry of entries) {
  const row = await benchEntry(entry);
  rows.push(row);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.error(`[${seconds}s] ${entry.repo}: ${row.status}${row.note ? ` — ${row.note}` : ""}`);
}

console.log(renderTable(rows));
console.log(`\n${renderSummary(rows)}`);
if (values.json) writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`);
