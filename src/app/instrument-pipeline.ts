import type { Progress } from "../contract/progress.ts";
import type { RunPipeline } from "../worker/pipeline.ts";
import type { Metrics } from "./metrics.ts";

/**
 * The pipeline, measured: each stage's duration (stages run one after another, so a stage starts when
 * the previous one ended, or with the run, and ends at its `done`, the next stage, or the run's end), the tokens and dollars of the run, and its outcome
 * (`patch`, `abstain`, or `error` when it threw; an aborted run counts as `cancelled`). The worker
 * needs no change for this: it calls the wrapped pipeline like any other.
 */
export function instrumentPipeline(
  pipeline: RunPipeline,
  metrics: Metrics,
  now: () => number = performance.now.bind(performance),
): RunPipeline {
  return async (request, services, onProgress) => {
    const open = new Map<string, number>();
    let boundary = now();
    let last: Progress | undefined;
    const closed = new Set<string>();
    const close = (stage: string) => {
      const started = open.get(stage);
      if (started === undefined) return;
      open.delete(stage);
      closed.add(stage);
      boundary = now();
      metrics.observeStage(stage, (boundary - started) / 1000);
    };
    const closeAll = () => {
      for (const stage of [...open.keys()]) close(stage);
    };
    const measured = (progress: Progress) => {
      last = progress;
      for (const stage of open.keys()) if (stage !== progress.stage) close(stage);
      if (!open.has(progress.stage) && !closed.has(progress.stage)) open.set(progress.stage, boundary);
      if (progress.state === "done") close(progress.stage);
      onProgress(progress);
    };
    try {
      const report = await pipeline(request, services, measured);
      closeAll();
      metrics.addSpend(report.usage.tokens, report.usage.dollars);
      metrics.countRun(report.decision);
      return report;
    } catch (error) {
      closeAll();
      metrics.addSpend(last?.tokens ?? 0, last?.dollars ?? 0);
      metrics.countRun(services.signal.aborted ? "cancelled" : "error");
      throw error;
    }
  };
}
