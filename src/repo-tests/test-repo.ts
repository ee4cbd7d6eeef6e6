import path from "node:path";
import { AutofixError } from "../errors.ts";
import { workspaceFingerprint } from "../sandbox/fingerprint.ts";
import { readSandboxConfig } from "../sandbox/repo-config.ts";
import {
  limitsFromConfig,
  type PreparedImage,
  type Sandbox,
  type SandboxLimits,
} from "../sandbox/sandbox.ts";
import { type Baseline, screenBaseline } from "./baseline.ts";
import { type Detection, detectFramework } from "./detect.ts";

export class NoTestsError extends AutofixError {
  constructor(repoDir: string) {
    super(
      "no_tests",
      `No tests found in ${repoDir}: no test framework is configured (package.json, pytest.ini, pyproject.toml, setup.cfg, conftest.py) and no test files (test_*.py, *_test.py, *.test.js, *.spec.ts, test/…).`,
      {
        hint: "Add tests, or set `sandbox.test` in .github/autofix.yml to a command judged by its exit code.",
        context: { repoDir },
      },
    );
  }
}

export type TestRepositorySpec = {
  repoDir: string;
  /** Test ids or files; null or empty runs the whole suite. */
  selection?: readonly string[] | null;
  /** Runs on the same code to screen for flaky tests (1 = no screening). */
  runs: number;
  /** Overrides of the repo config's limits. */
  limits?: Partial<SandboxLimits>;
  image?: string;
};

export type TestRepositoryReport = {
  detection: Detection;
  image: string;
  prepared: PreparedImage;
  baseline: Baseline;
};

/** Detect, prepare (setup once, cached) and run a local checkout's tests `runs` times. */
export async function testRepository(
  sandbox: Sandbox,
  spec: TestRepositorySpec,
): Promise<TestRepositoryReport> {
  const repoDir = path.resolve(spec.repoDir);
  const config = readSandboxConfig(repoDir);
  const detection = detectFramework(repoDir, config.test);
  if (detection === null) throw new NoTestsError(repoDir);
  const image = spec.image ?? config.image ?? detection.image;
  const limits = { ...limitsFromConfig(config), ...spec.limits };
  const prepared = await sandbox.prepare({
    repoKey: `local/${path.basename(repoDir)}`,
    commit: workspaceFingerprint(repoDir),
    image,
    setup: config.setup,
    workspaceDir: repoDir,
    network: config.setupNetwork,
    limits: { ...limits, timeoutMs: config.setupTimeoutSeconds * 1000 },
  });
  const baseline = await screenBaseline(sandbox, {
    image: prepared.image,
    runner: detection.runner,
    selection: spec.selection ?? null,
    limits,
    runs: spec.runs,
  });
  return { detection, image, prepared, baseline };
}
