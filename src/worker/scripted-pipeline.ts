import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { Environment } from "../config/environment.ts";
import { progressSchema } from "../contract/progress.ts";
import { reportSchema } from "../contract/report.ts";
import { AutofixError } from "../errors.ts";
import { fixPipelineFromEnv } from "./fix-pipeline-env.ts";
import type { RunPipeline } from "./pipeline.ts";

/**
 * A SCRIPTED pipeline for tests and demos only: it replays progress steps from a JSON file and returns
 * the file's canned report, whatever the issue says. It exists because the App runs as a process and
 * cannot be handed a JS function.
 * Selected with `AUTOFIX_PIPELINE=scripted:<file.json>`; refused when NODE_ENV=production.
 */
const scriptSchema = z.strictObject({
  steps: z.array(progressSchema).default([]),
  /** Pause after each step, so a test can cancel or kill the App mid-run. */
  stepDelayMs: z.int().min(0).max(60_000).default(0),
  /** Throw instead of reporting: exercises the failure path. */
  fail: z.string().optional(),
  report: reportSchema,
});

export function scriptedPipeline(path: string): RunPipeline {
  const script = readScript(path);
  return async (_request, { signal }, onProgress) => {
    for (const step of script.steps) {
      signal.throwIfAborted();
      onProgress(step);
      if (script.stepDelayMs > 0) await sleep(script.stepDelayMs, undefined, { signal });
    }
    signal.throwIfAborted();
    if (script.fail !== undefined) throw new AutofixError("scripted_failure", script.fail);
    return script.report;
  };
}

/** A pipeline and how the start-up log names it. */
export type SelectedPipeline = RunPipeline & { readonly description: string };

/**
 * The pipeline `AUTOFIX_PIPELINE` selects: unset (or `fix`) → the real repair pipeline
 * (fix-pipeline-env.ts); `scripted:<file.json>` → a canned one, for tests and demos only.
 */
export function pipelineFromEnv(environment: Environment, cwd: string): SelectedPipeline {
  const value = environment.values.AUTOFIX_PIPELINE?.trim();
  if (value === undefined || value === "" || value === "fix") {
    return Object.assign(fixPipelineFromEnv(environment), {
      description: "the repair pipeline (localize → reproduce → repair → validate)",
    });
  }
  const scripted = /^scripted:(.+)$/.exec(value)?.[1];
  if (scripted === undefined) {
    throw new AutofixError("pipeline_unknown", `AUTOFIX_PIPELINE=${value} names no pipeline`, {
      hint: "leave AUTOFIX_PIPELINE unset for the repair pipeline; `scripted:<file.json>` exists for tests and demos only",
    });
  }
  if (environment.values.NODE_ENV === "production") {
    throw new AutofixError(
      "pipeline_scripted_in_production",
      "AUTOFIX_PIPELINE=scripted:… is refused in production",
      {
        hint: "a scripted pipeline returns canned patches; unset AUTOFIX_PIPELINE (or NODE_ENV) ",
      },
    );
  }
  const path = resolve(cwd, scripted);
  return Object.assign(scriptedPipeline(path), { description: `a SCRIPTED pipeline replaying ${path}` });
}

function readScript(path: string): z.output<typeof scriptSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new AutofixError("pipeline_script_unreadable", `cannot read the pipeline script ${path}`, {
      hint: "AUTOFIX_PIPELINE=scripted:<file> must name a JSON file",
      cause: error,
    });
  }
  const parsed = scriptSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AutofixError(
      "pipeline_script_invalid",
      `the pipeline script ${path} is invalid: ${z.prettifyError(parsed.error)}`,
      {
        context: { path },
      },
    );
  }
  return parsed.data;
}
