import { buildCodeIndex } from "../../code-index/build.ts";
import type { CodeIndex } from "../../code-index/code-index.ts";
import { localize } from "../../localize/localize.ts";
import type { Localization } from "../../localize/types.ts";
import { type ContextWindow, contextWindows } from "../../localize/windows.ts";
import type { RunContext } from "./run-context.ts";

export type Located = {
  index: CodeIndex;
  localization: Localization;
  /** One list of context windows per sampled location set. */
  windowSets: ContextWindow[][];
};

/** What localization found, and either the code to repair or why the run stops here. */
export type LocalizeResult = { localization: Localization; notes: string[] } & (
  | { located: Located }
  | { stopped: string }
);

/** Index the snapshot and localize the issue; `stopped` when nothing was found. */
export async function localizeIssue(run: RunContext): Promise<LocalizeResult> {
  const { input, services } = run;
  run.progress("localize", "running");
  const index = await buildCodeIndex({
    root: input.repo.root,
    registry: run.registry,
    identity: `${input.repo.key}@${input.repo.commit}`,
    ...(services.cacheRoot ? { cacheRoot: services.cacheRoot } : {}),
  });
  const budget = input.config.localization;
  const localization = await localize({ issue: input.issue, index, budget, llm: services.llm, ...run.abort });
  run.progress("localize", "done", {
    files: localization.files.length,
    elements: localization.elements.length,
  });
  const windowSets = distinct(
    localization.locationSets.map((set) => contextWindows(index, set, budget.contextLines)),
  );
  const notes =
    windowSets.length < localization.locationSets.length
      ? [
          `${localization.locationSets.length} location sets, ${windowSets.length} distinct once widened: repair samples each distinct one`,
        ]
      : [];
  if (windowSets.length === 0)
    return { localization, notes, stopped: "localization found no code that the issue points to" };
  return { localization, notes, located: { index, localization, windowSets } };
}

/** Sampled location sets that show the same code would sample the same prompt again: keep one. */
function distinct(sets: ContextWindow[][]): ContextWindow[][] {
  const seen = new Set<string>();
  return sets.filter((set) => {
    const key = set.map((w) => `${w.path}:${w.startLine}-${w.endLine}`).join("|");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
