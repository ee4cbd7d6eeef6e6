import type { IncomingMessage, ServerResponse } from "node:http";
import { DELIVERY_STATES, type DeliveryState } from "../jobs/inbox.ts";
import { JOB_STATES, type JobState } from "../jobs/job-store.ts";

/**
 * The App's Prometheus metrics, kept in memory by this process and written in Prometheus' text
 * exposition format (version 0.0.4) by hand — no client library. Feed it from wherever the figures
 * are known (`instrumentPipeline` in src/app/instrument-pipeline.ts feeds every run); jobs by state
 * are read from the job store at scrape time, so they are right across restarts and processes.
 *
 * - `addSpend(tokens, dollars)`: model spending of a run (once per run, or in increments);
 * - `observeStage(stage, seconds)`: how long one pipeline stage took;
 * - `countRun(outcome)`: a run ended (`patch`, `abstain`, `error`, `cancelled`, …);
 * - `countRejectedWebhook(reason)`: a request at the webhook path was refused (401).
 */
export type Metrics = {
  addSpend(tokens: number, dollars: number): void;
  observeStage(stage: string, seconds: number): void;
  countRun(outcome: string): void;
  countRejectedWebhook(reason: string): void;
  /** The exposition text, with the job store's counts by state (and its inbox's, when given). */
  render(jobsByState: Record<JobState, number>, deliveriesByState?: Record<DeliveryState, number>): string;
};

/** Upper bounds (seconds) of the stage-duration histogram's buckets: a second to an hour. */
export const STAGE_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600] as const;

type Histogram = { buckets: number[]; sum: number; count: number };

export function createMetrics(): Metrics {
  let tokens = 0;
  let dollars = 0;
  const stages = new Map<string, Histogram>();
  const runs = new Map<string, number>();
  const rejected = new Map<string, number>();
  return {
    addSpend(moreTokens, moreDollars) {
      if (Number.isFinite(moreTokens) && moreTokens > 0) tokens += moreTokens;
      if (Number.isFinite(moreDollars) && moreDollars > 0) dollars += moreDollars;
    },
    observeStage(stage, seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) return;
      let histogram = stages.get(stage);
      if (histogram === undefined) {
        histogram = { buckets: STAGE_BUCKETS.map(() => 0), sum: 0, count: 0 };
        stages.set(stage, histogram);
      }
      STAGE_BUCKETS.forEach((bound, i) => {
        if (seconds <= bound && histogram !== undefined)
          histogram.buckets[i] = (histogram.buckets[i] ?? 0) + 1;
      });
      histogram.sum += seconds;
      histogram.count++;
    },
    countRun(outcome) {
      runs.set(outcome, (runs.get(outcome) ?? 0) + 1);
    },
    countRejectedWebhook(reason) {
      rejected.set(reason, (rejected.get(reason) ?? 0) + 1);
    },
    render(jobsByState, deliveriesByState) {
      const lines = [
        ...family("autofix_jobs", "gauge", "Jobs in the job store, by state."),
        ...JOB_STATES.map((state) => `autofix_jobs{state="${state}"} ${jobsByState[state] ?? 0}`),
        ...(deliveriesByState === undefined
          ? []
          : [
              ...family(
                "autofix_webhook_deliveries",
                "gauge",
                "Webhook deliveries in the inbox (kept 7 days), by state: pending ones await the dispatcher.",
              ),
              ...DELIVERY_STATES.map(
                (state) => `autofix_webhook_deliveries{state="${state}"} ${deliveriesByState[state]}`,
              ),
            ]),
        ...family(
          "autofix_runs_finished_total",
          "counter",
          "Pipeline runs this process finished, by outcome.",
        ),
        ...[...runs].map(([outcome, n]) => `autofix_runs_finished_total{outcome="${label(outcome)}"} ${n}`),
        ...family("autofix_model_tokens_total", "counter", "Model tokens (prompt + completion) runs spent."),
        `autofix_model_tokens_total ${tokens}`,
        ...family(
          "autofix_model_dollars_total",
          "counter",
          "Dollars runs spent on the model, at the price table.",
        ),
        `autofix_model_dollars_total ${number(dollars)}`,
        ...family(
          "autofix_webhooks_rejected_total",
          "counter",
          "Webhook requests refused with 401, by reason.",
        ),
        ...[...rejected].map(
          ([reason, n]) => `autofix_webhooks_rejected_total{reason="${label(reason)}"} ${n}`,
        ),
        ...family("autofix_stage_duration_seconds", "histogram", "Duration of pipeline stages."),
        ...[...stages].flatMap(([stage, h]) => histogramLines(label(stage), h)),
      ];
      return `${lines.join("\n")}\n`;
    },
  };
}

function histogramLines(stage: string, h: Histogram): string[] {
  const name = "autofix_stage_duration_seconds";
  return [
    ...STAGE_BUCKETS.map((bound, i) => `${name}_bucket{stage="${stage}",le="${bound}"} ${h.buckets[i] ?? 0}`),
    `${name}_bucket{stage="${stage}",le="+Inf"} ${h.count}`,
    `${name}_sum{stage="${stage}"} ${number(h.sum)}`,
    `${name}_count{stage="${stage}"} ${h.count}`,
  ];
}

function family(name: string, type: string, help: string): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
}

/** A label value escaped as the format requires: backslash, double quote and newline. */
function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function number(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(9)));
}

export const METRICS_PATH = "/metrics";

/** `GET /metrics` → the exposition text (`text/plain; version=0.0.4`). */
export function metricsHandler(render: () => string) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.url?.split("?")[0] !== METRICS_PATH || (req.method !== "GET" && req.method !== "HEAD"))
      return false;
    let body: string;
    try {
      body = render();
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(`metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`);
      return true;
    }
    res.writeHead(200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
      "cache-control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}
