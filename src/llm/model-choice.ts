import { AutofixError } from "../errors.ts";
import { stageFamily } from "./llm.ts";

/** The config's `models` section (any subset of it). */
export type StageModels = Readonly<Partial<Record<string, string | undefined>>>;

export type ModelFor = (stage: string) => string;

/**
 * Pick a model per stage: `models.<first segment of the stage>` ?? `models.default` ?? the operator's
 * AUTOFIX_LLM_MODEL. Fails at construction, not mid-run, when no model can be chosen at all.
 */
export function makeModelFor(models: StageModels, settingsModel: string | undefined): ModelFor {
  const fallback = models.default ?? settingsModel;
  if (fallback === undefined) {
    throw new AutofixError(
      "llm_model_missing",
      "No model to call: set AUTOFIX_LLM_MODEL to the endpoint's model name (e.g. gpt-4o-mini).",
      {
        hint: "A repository can also choose one in .github/autofix.yml under models.default (or per stage: models.localize, models.reproduce, models.repair).",
        context: { variable: "AUTOFIX_LLM_MODEL" },
      },
    );
  }
  return (stage) => {
    const family = stageFamily(stage);
    return (family === "default" ? undefined : models[family]) ?? fallback;
  };
}
