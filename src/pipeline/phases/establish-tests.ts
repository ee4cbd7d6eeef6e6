import { renderExcerpts } from "../../repair/excerpts.ts";
import { reproduce } from "../../reproduce/reproduce.ts";
import { type ScreenedTests, screenTests } from "../screen-tests.ts";
import { prepareTestEnvironment, type TestEnvironment } from "../test-environment.ts";
import type { Located } from "./localize-issue.ts";
import type { RunContext } from "./run-context.ts";

export type EstablishedTests = { env: TestEnvironment; screened: ScreenedTests };

/**
 * Prepare the sandbox, write reproduction tests and keep those that fail for the bug, then screen
 * them with the regression selection. Undefined when the config says to stop without one.
 */
export async function establishTests(
  run: RunContext,
  located: Located,
): Promise<EstablishedTests | undefined> {
  const { input, services, trace } = run;
  const { config, repo } = input;
  run.progress("reproduce", "running");
  const env = await prepareTestEnvironment(
    repo,
    config,
    located.localization.files.map((file) => file.path),
    services.sandbox,
  );
  trace.framework = env.detection.framework;
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
  trace.reproduction = [...reproduction.rows, ...screened.dropped];
  trace.keptIds = screened.reproduction.ids;
  if (screened.regression.summary) trace.regression = screened.regression.summary;
  trace.notes.push(...env.clamped, ...reproduction.notes, ...screened.notes);
  run.progress("reproduce", "done", {
    "tests kept": screened.reproduction.ids.length,
    "regression files": env.regression.length,
  });
  if (screened.reproduction.ids.length === 0 && config.reproduction.whenMissing === "stop") {
    trace.stopped =
      "no reproduction test could be established (reproduction.whenMissing: stop), so no repair was attempted";
    return undefined;
  }
  return { env, screened };
}
