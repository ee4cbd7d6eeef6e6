import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTests } from "../../src/repo-tests/run-tests.ts";
import { jestRunner } from "../../src/repo-tests/runners/jest.ts";
import { mochaRunner } from "../../src/repo-tests/runners/mocha.ts";
import type { TestRunner } from "../../src/repo-tests/types.ts";
import { DockerSandbox } from "../../src/sandbox/docker-sandbox.ts";
import { settingsFromEnv } from "../../src/sandbox/settings.ts";
import { dockerGate } from "./docker-gate.ts";

const gate = await dockerGate("test runners on old framework versions");
const needsNetwork =
  settingsFromEnv().setupNetwork === "none"
    ? "installing old framework versions needs the npm registry, and AUTOFIX_SANDBOX_SETUP_NETWORK is none " +
      "(set it to host, and AUTOFIX_SANDBOX_CA_BUNDLE if the egress re-signs TLS)"
    : null;
if (!gate.skip && needsNetwork !== null) {
  process.stderr.write(`\n!!! test runners on old framework versions: SKIPPED — ${needsNetwork}.\n\n`);
}

const MOCHA_FIXTURE = path.resolve("test/fixtures/runners/mocha-legacy");
const JEST_FIXTURE = path.resolve("test/fixtures/runners/jest-legacy");
const MOCHA_ARGS = ["--require", "./support/triple.js"];

/** What the fixtures' tests do, known from their source; the same on every version. */
const MOCHA_OUTCOMES = {
  "test/calc.spec.js > calc > doubles": "passed", // needs test/helper.js, named by mocha.opts / .mocharc.json
  "test/calc.spec.js > calc > triples": "passed", // needs MOCHA_ARGS
  "test/calc.spec.js > calc > nested > fails on purpose": "failed",
  "test/calc.spec.js > calc > nested > is skipped": "skipped",
  "test/calc.spec.js > top level": "passed",
  "test/hooks.spec.js": "error", // its "before all" hook throws
};
const JEST_OUTCOMES = {
  "__tests__/stack.test.js > stack > starts empty": "passed",
  "__tests__/stack.test.js > stack > peek > shows the top": "failed",
  "__tests__/stack.test.js > pops": "skipped",
  "__tests__/other.test.js > other file": "passed",
};

type Case = {
  pkg: string;
  version: string;
  fixture: string;
  runner: TestRunner;
  outcomes: Record<string, string>;
  selection: string[];
};
const CASES: Case[] = [
  ...["2.5.3", "11.7.5"].map((version) => ({
    pkg: "mocha",
    version,
    fixture: MOCHA_FIXTURE,
    runner: mochaRunner({ args: MOCHA_ARGS }),
    outcomes: MOCHA_OUTCOMES,
    selection: [
      "test/calc.spec.js > calc > nested > fails on purpose",
      "test/hooks.spec.js > with a broken hook > never runs",
    ],
  })),
  ...["20.0.4", "29.7.0"].map((version) => ({
    pkg: "jest",
    version,
    fixture: JEST_FIXTURE,
    runner: jestRunner(),
    outcomes: JEST_OUTCOMES,
    selection: ["__tests__/stack.test.js > stack > peek > shows the top", "__tests__/other.test.js"],
  })),
];

/** Part of the setup image's cache key, so an edited fixture gets a fresh image. */
function contentHash(dir: string): string {
  const hash = createHash("sha256");
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    hash.update(path.relative(dir, file)).update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

describe.skipIf(gate.skip || needsNetwork !== null)("test runners on the versions repositories pin", () => {
  let sandbox: DockerSandbox;
  beforeAll(async () => {
    sandbox = await DockerSandbox.connect();
  });
  afterAll(async () => {
    if (sandbox) expect(await sandbox.leftovers()).toEqual([]);
  });

  const prepare = (c: Case) =>
    sandbox.prepare({
      repoKey: `test/runners-versions/${c.pkg}-${c.version}`,
      commit: contentHash(c.fixture),
      image: "autofix/node:24",
      setup: `npm install --no-save --no-audit --no-fund --loglevel=error ${c.pkg}@${c.version}`,
      workspaceDir: c.fixture,
      network: true,
      limits: { timeoutMs: 400_000 },
    });

  for (const c of CASES) {
    it(`${c.pkg} ${c.version}: per-test ids and outcomes, whole suite and a selection`, async () => {
      const { image } = await prepare(c);
      const all = await runTests(sandbox, { image, runner: c.runner });
      expect(all.problem).toBeNull();
      expect(all.frameworkVersion).toBe(c.version);
      expect(Object.fromEntries(all.results.map((r) => [r.id, r.outcome]))).toEqual(c.outcomes);
      expect(all.results.find((r) => r.outcome === "failed")?.message ?? "").not.toBe("");

      const some = await runTests(sandbox, { image, runner: c.runner, selection: c.selection });
      expect(some.missing).toEqual([]);
      const selected = some.results.map((r) => r.id).sort();
      const expected = Object.keys(c.outcomes).filter((id) =>
        c.selection.some((s) => s === id || s.startsWith(`${id} > `) || id.startsWith(`${s} > `)),
      );
      expect(selected).toEqual(expected.sort());
    }, 600_000);
  }

  it("a run that writes no report names the framework, its version and the command", async () => {
    const [mocha2] = CASES;
    if (mocha2 === undefined) throw new Error("no mocha case");
    const { image } = await prepare(mocha2);
    const report = await runTests(sandbox, {
      image,
      runner: mocha2.runner,
      selection: ["test/no-such.spec.js"],
    });
    expect(report.results).toEqual([]);
    expect(report.problem).toMatch(
      /^mocha 2\.5\.3 \(node_modules\/\.bin\/mocha\) wrote no report: command `.*--require \.\/support\/triple\.js .*` exit 1\. Last output:\n.*cannot resolve path/s,
    );
  }, 600_000);
});
