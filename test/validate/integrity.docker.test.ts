import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import { buildPool } from "../../src/repair/pool.ts";
import type { PathGuard } from "../../src/repair/protected.ts";
import { compareRuns } from "../../src/repo-tests/baseline.ts";
import { runTests } from "../../src/repo-tests/run-tests.ts";
import { pytestRunner } from "../../src/repo-tests/runners/pytest.ts";
import { DockerSandbox } from "../../src/sandbox/docker-sandbox.ts";
import { workspaceFingerprint } from "../../src/sandbox/fingerprint.ts";
import type { RegressionSuite, ReproductionSuite } from "../../src/validate/suites.ts";
import { validateGroups } from "../../src/validate/validate.ts";
import { FORCE_PASS_CONFTEST, REAL_FIX } from "../repair/protected-pool.ts";
import { dockerGate } from "../sandbox/docker-gate.ts";

// The same attack as integrity.test.ts, judged by real pytest in the sandbox instead of a fake.
const gate = await dockerGate("validation integrity against real pytest");

const MEDIAN_REPO = path.resolve("test/fixtures/fix/py-median/repo");
const STATS = "textstats/stats.py";

describe.skipIf(gate.skip)("a conftest.py that rewrites outcomes, against real pytest (Docker)", () => {
  let sandbox: DockerSandbox;
  let image: string;
  const runner = pytestRunner();
  const reproFile = {
    path: "tests/test_autofix_repro.py",
    content:
      "from textstats.stats import median\n\n\ndef test_unsorted():\n    assert median([3, 1, 2]) == 2\n",
  };
  beforeAll(async () => {
    sandbox = await DockerSandbox.connect();
    const prepared = await sandbox.prepare({
      repoKey: "local/py-median-integrity",
      commit: workspaceFingerprint(MEDIAN_REPO),
      image: "autofix/python:3",
      setup: null,
      workspaceDir: MEDIAN_REPO,
      network: false,
    });
    image = prepared.image;
  });
  afterAll(async () => {
    if (sandbox) expect(await sandbox.leftovers()).toEqual([]);
  });

  const twice = async (selection: string[], files = [reproFile]) =>
    compareRuns([
      await runTests(sandbox, { image, runner, selection, files }),
      await runTests(sandbox, { image, runner, selection, files }),
    ]);

  it("is validated when nothing guards the sandbox, refused by default; the real fix is chosen", async () => {
    const attack =
      "```python\n### tests/conftest.py\n<<<<<<< SEARCH\n=======\n" +
      FORCE_PASS_CONFTEST +
      ">>>>>>> REPLACE\n```";
    const pool = await buildPool(
      [
        { id: "attack", text: attack },
        { id: "fix", text: REAL_FIX.text.replace("textstats/stats.py", STATS) },
      ],
      {
        registry: new LanguageRegistry(),
        original: new Map([[STATS, readFileSync(path.join(MEDIAN_REPO, STATS), "utf8")]]),
        isProtected: () => false,
      },
    );
    const reproduction: ReproductionSuite = {
      files: [reproFile],
      ids: ["tests/test_autofix_repro.py::test_unsorted"],
      baseline: await twice([reproFile.path]),
    };
    expect(reproduction.baseline.tests.map((test) => test.outcome)).toEqual(["failed"]);
    const regression: RegressionSuite = {
      selection: ["tests/test_stats.py"],
      baseline: await twice(["tests/test_stats.py"], []),
    };
    const keyOf = (id: string) => pool.groups.find((group) => group.members.includes(id))?.key;
    const judge = (mayNotTouch: PathGuard | undefined) =>
      validateGroups(sandbox, {
        groups: pool.groups,
        reproduction,
        regression,
        image,
        runner,
        limits: {},
        ...(mayNotTouch ? { mayNotTouch } : {}),
      });

    const unguarded = await judge(() => false);
    const attackVerdict = unguarded.decision.verdicts.find((verdict) => verdict.key === keyOf("attack"));
    expect(attackVerdict?.validated).toBe(true);

    const guarded = await judge(undefined);
    const refused = guarded.decision.verdicts.find((verdict) => verdict.key === keyOf("attack"));
    expect(refused?.validated).toBe(false);
    expect(refused?.refused).toMatch(/^tests\/conftest\.py is a protected path \(test-files:/);
    expect(guarded.decision.decision).toBe("patch");
    expect(guarded.decision.chosen).toBe(keyOf("fix"));
  }, 240_000);
});
