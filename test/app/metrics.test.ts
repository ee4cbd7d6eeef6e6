import { describe, expect, it } from "vitest";
import { instrumentPipeline } from "../../src/app/instrument-pipeline.ts";
import { createMetrics } from "../../src/app/metrics.ts";
import type { Progress } from "../../src/contract/progress.ts";
import { type Report, reportSchema } from "../../src/contract/report.ts";
import type { RunPipeline } from "../../src/worker/pipeline.ts";

const NO_JOBS = { queued: 0, running: 0, done: 0, abstained: 0, failed: 0, cancelled: 0 };

/** Every sample line of the exposition text, as `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    map.set(match[1] ?? "", Number(match[2]));
  }
  return map;
}

describe("the exposition text", () => {
  it("has HELP and TYPE for each family, every job state, and ends with a newline", () => {
    const text = createMetrics().render({ ...NO_JOBS, queued: 2, failed: 1 });
    expect(text.endsWith("\n")).toBe(true);
    for (const name of ["autofix_jobs", "autofix_model_tokens_total", "autofix_stage_duration_seconds"]) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toMatch(new RegExp(`# TYPE ${name} (gauge|counter|histogram)\\n`));
    }
    const s = samples(text);
    expect(s.get('autofix_jobs{state="queued"}')).toBe(2);
    expect(s.get('autofix_jobs{state="failed"}')).toBe(1);
    expect(s.get('autofix_jobs{state="cancelled"}')).toBe(0);
    expect(s.get("autofix_model_tokens_total")).toBe(0);
  });

  it("shows the webhook inbox by state when given", () => {
    const s = samples(createMetrics().render(NO_JOBS, { pending: 3, done: 40, failed: 1 }));
    expect(s.get('autofix_webhook_deliveries{state="pending"}')).toBe(3);
    expect(s.get('autofix_webhook_deliveries{state="failed"}')).toBe(1);
    expect(samples(createMetrics().render(NO_JOBS)).has('autofix_webhook_deliveries{state="pending"}')).toBe(
      false,
    );
  });

  it("accumulates spend and fills cumulative histogram buckets", () => {
    const metrics = createMetrics();
    metrics.addSpend(1_000, 0.1);
    metrics.addSpend(500, 0.2);
    metrics.addSpend(Number.NaN, -1); // ignored
    metrics.observeStage("repair", 3);
    metrics.observeStage("repair", 90);
    metrics.observeStage('we"ird\nstage', 0.5);
    metrics.countRun("patch");
    const text = metrics.render(NO_JOBS);
    const s = samples(text);
    expect(s.get("autofix_model_tokens_total")).toBe(1_500);
    expect(s.get("autofix_model_dollars_total")).toBeCloseTo(0.3, 9);
    expect(s.get('autofix_stage_duration_seconds_bucket{stage="repair",le="1"}')).toBe(0);
    expect(s.get('autofix_stage_duration_seconds_bucket{stage="repair",le="5"}')).toBe(1);
    expect(s.get('autofix_stage_duration_seconds_bucket{stage="repair",le="120"}')).toBe(2);
    expect(s.get('autofix_stage_duration_seconds_bucket{stage="repair",le="+Inf"}')).toBe(2);
    expect(s.get('autofix_stage_duration_seconds_sum{stage="repair"}')).toBe(93);
    expect(s.get('autofix_stage_duration_seconds_count{stage="repair"}')).toBe(2);
    expect(s.get('autofix_runs_finished_total{outcome="patch"}')).toBe(1);
    expect(text).toContain('stage="we\\"ird\\nstage"');
  });
});

/** A report with what the instrumentation reads: the decision and the spending. */
function report(decision: "patch" | "abstain"): Report {
  return reportSchema.parse({ decision, reason: "r", usage: { tokens: 700, dollars: 0.05 } });
}

function progress(stage: Progress["stage"], state: Progress["state"], tokens: number): Progress {
  return { stage, state, figures: {}, tokens, dollars: tokens / 10_000 };
}

describe("instrumentPipeline", () => {
  it("times stages back to back on the given clock, and counts spend and outcome", async () => {
    let t = 0;
    const metrics = createMetrics();
    const pipeline: RunPipeline = async (_request, _services, onProgress) => {
      t = 2_000;
      onProgress(progress("localize", "running", 100));
      t = 4_000;
      onProgress(progress("localize", "done", 200));
      t = 10_000;
      onProgress(progress("repair", "running", 300)); // repair began when localize ended, at 4 s
      t = 70_000;
      return report("patch");
    };
    const seen: string[] = [];
    const measured = instrumentPipeline(pipeline, metrics, () => t);
    const services = { signal: new AbortController().signal } as Parameters<RunPipeline>[1];
    await measured({ jobId: 1, repository: "o/r", issueNumber: 1, triggeredBy: "u" }, services, (p) =>
      seen.push(`${p.stage}:${p.state}`),
    );
    expect(seen).toEqual(["localize:running", "localize:done", "repair:running"]);
    const s = samples(metrics.render(NO_JOBS));
    expect(s.get('autofix_stage_duration_seconds_sum{stage="localize"}')).toBe(4);
    expect(s.get('autofix_stage_duration_seconds_sum{stage="repair"}')).toBe(66);
    expect(s.get("autofix_model_tokens_total")).toBe(700);
    expect(s.get('autofix_runs_finished_total{outcome="patch"}')).toBe(1);
  });

  it("counts a failed run as error and a cancelled one as cancelled, with the spend so far", async () => {
    const metrics = createMetrics();
    const failing: RunPipeline = async (_request, _services, onProgress) => {
      onProgress(progress("localize", "running", 250));
      throw new Error("boom");
    };
    const measured = instrumentPipeline(failing, metrics, () => 0);
    const request = { jobId: 1, repository: "o/r", issueNumber: 1, triggeredBy: "u" };
    const live = { signal: new AbortController().signal } as Parameters<RunPipeline>[1];
    await expect(measured(request, live, () => undefined)).rejects.toThrow("boom");
    const aborted = new AbortController();
    aborted.abort();
    const stopped = { signal: aborted.signal } as Parameters<RunPipeline>[1];
    await expect(measured(request, stopped, () => undefined)).rejects.toThrow("boom");
    const s = samples(metrics.render(NO_JOBS));
    expect(s.get('autofix_runs_finished_total{outcome="error"}')).toBe(1);
    expect(s.get('autofix_runs_finished_total{outcome="cancelled"}')).toBe(1);
    expect(s.get("autofix_model_tokens_total")).toBe(500);
    expect(s.get('autofix_stage_duration_seconds_count{stage="localize"}')).toBe(2);
  });
});
