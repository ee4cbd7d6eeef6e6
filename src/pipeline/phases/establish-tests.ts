import type { RegressionSummary } from "../../contract/report.ts";
import { renderExcerpts } from "../../repair/excerpts.ts";
import { type ReproductionRow, reproduce } from "../../reproduce/reproduce.ts";
import { type ScreenedTests, screenTests } from "../screen-tests.ts";
import { prepareTestEnvironment, type TestEnvironment } from "../test-environment.ts";
import type { Located } from "./localize-issue.ts";
import type { RunContext } from "./run-context.ts";

export type EstablishedTests = { env: TestEnvironment; screened: ScreenedTests };

/** The tests a run has: reproduction tests tried and kept, the regression tests screened. */
export type TestsResult = {
  framework: string | null;
  reproduction: ReproductionRow[];
  keptIds: string[];
  /** Absent when the run ended before regression tests were screened. */
  regression?: RegressionSummary;
  notes: string[];
  /** Absent with `stopped`, or in the partial result reported before reproduction. */
  established?: EstablishedTests;
  stopped?: string;
};

/**
 * Prepare the sandbox, write reproduction tests and keep those that fail for the bug, then screen
 * them with the regression selection; `stopped` when the config says to stop without one. `partial`
 * receives what is known once the sandbox is prepared, for the report of a run that ends meanwhile.
 */
export async function establishTests(
  run: RunContext,
  located: Located,
  partial: (soFar: TestsResult) => void = () => {},
): Promise<TestsResult> {
  const { input, services } = run;
  const { config, repo } = input;
  run.progress("reproduce", "running");
  const env = await prepareTestEnvironment(
    repo,
    config,
    located.localization.files.map((file) => file.path),
    services.sandbox,
  );
  const framework = env.detection.framework;
  partial({ framework, reproduction: [], keptIds: [], notes: [...env.clamped] });
  const { windows } = located.localization;
  const files = new Map(
    windows.flatMap(({ path }) => {
      const text = located.index.read(path);
      return text === undefined ? [] : [[path, text] as const];
    }),
  );
  const code = renderExcerpts(windows, files, config.reproduction.maxPromptTokens / 2).text;
  const reproduction = await reproduce(
    {
      issueText: run.issueText,
      root: repo.root,
      code,
      detection: env.detection,
      image: env.image,
      limits: env.limits,
      budget: config.reproduction,
      relatedTests: env.regression,
      registry: run.registry,
    },
    { llm: services.llm, sandbox: services.sandbox, ...run.abort },
  );
  const screened = await screenTests(env, reproduction.kept, services.sandbox);
  const result: TestsResult = {
    framework,
    reproduction: [...reproduction.rows, ...screened.dropped],
    keptIds: screened.reproduction.ids,
    ...(screened.regression.summary ? { regression: screened.regression.summary } : {}),
    notes: [...env.clamped, ...reproduction.notes, ...screened.notes],
  };
  run.progress("reproduce", "done", {
    "tests kept": screened.reproduction.ids.length,
    "regression files": env.regression.length,
  });
  if (screened.reproduction.ids.length === 0 && config.reproduction.whenMissing === "stop") {
    return {
      ...result,
      stopped:
        "no reproduction test could be established (reproduction.whenMissing: stop), so no repair was attempted",
    };
  }
  return { ...result, established: { env, screened } };
}
