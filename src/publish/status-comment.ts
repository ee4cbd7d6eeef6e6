import { type Progress, STAGES, type Stage } from "../contract/progress.ts";
import type { Report } from "../contract/report.ts";
import { stageFigures } from "./run-sections.ts";

/** Hidden marker of the App's one status comment per issue: found again on a retry or redelivery. */
export const STATUS_MARKER = "<!-- autofix:status -->";

export type RunState = "running" | "done" | "abstained" | "failed" | "cancelled" | "left-alone";

type StageView = { state: Progress["state"]; figures: Record<string, number | string> };

/** Everything the status comment shows; `renderStatus` is a pure function of it. */
export type StatusView = {
  state: RunState;
  stages: Partial<Record<Stage, StageView>>;
  tokens: number;
  dollars: number;
  budget: { tokens: number; dollars: number };
  /** The final word: why it abstained or failed, what was left alone, where the PR is. */
  message?: string;
  pullRequestUrl?: string;
};

export function emptyStatus(budget: StatusView["budget"]): StatusView {
  return { state: "running", stages: {}, tokens: 0, dollars: 0, budget };
}

/** Fold one progress report into the view (a stage reported later marks the earlier ones done). */
export function withProgress(view: StatusView, progress: Progress): StatusView {
  const stages = { ...view.stages };
  for (const stage of STAGES.slice(0, STAGES.indexOf(progress.stage))) {
    const earlier = stages[stage];
    if (earlier !== undefined) stages[stage] = { ...earlier, state: "done" };
  }
  const figures = { ...stages[progress.stage]?.figures, ...progress.figures };
  stages[progress.stage] = { state: progress.state, figures };
  return { ...view, stages, tokens: progress.tokens, dollars: progress.dollars };
}

/** Fold the run's report into the view: every stage it reached is over, with the report's figures. */
export function withReport(view: StatusView, report: Report): StatusView {
  const stages: StatusView["stages"] = {};
  for (const [stage, seen] of Object.entries(view.stages))
    stages[stage as Stage] = { ...seen, state: "done" };
  for (const { stage, figures } of stageFigures(report)) {
    stages[stage] = { state: "done", figures: { ...stages[stage]?.figures, ...figures } };
  }
  return { ...view, stages, tokens: report.usage.tokens, dollars: report.usage.dollars };
}

const HEADINGS: Record<RunState, string> = {
  running: "⏳ autofix is working on this issue",
  done: "✅ autofix proposed a fix",
  abstained: "autofix did not propose a fix",
  failed: "❌ autofix failed",
  cancelled: "autofix was stopped",
  "left-alone": "autofix left the branch alone",
};

const STAGE_NAMES: Record<Stage, string> = {
  localize: "Localization",
  reproduce: "Reproduction",
  repair: "Repair",
  validate: "Validation",
};

export function renderStatus(view: StatusView): string {
  const lines = [STATUS_MARKER, `### ${HEADINGS[view.state]}`, ""];
  for (const stage of STAGES) lines.push(stageLine(stage, view.stages[stage], view.state));
  lines.push("", spendLine(view));
  if (view.pullRequestUrl !== undefined) lines.push("", `Pull request: ${view.pullRequestUrl}`);
  if (view.message !== undefined) lines.push("", view.message);
  return lines.join("\n");
}

function stageLine(stage: Stage, view: StageView | undefined, run: RunState): string {
  if (view === undefined) return `- ⬜ ${STAGE_NAMES[stage]}`;
  const mark = view.state === "done" ? "✅" : run === "running" ? "⏳" : "⏹️";
  const figures = Object.entries(view.figures).map(([name, value]) => `${name}: ${value}`);
  return `- ${mark} ${STAGE_NAMES[stage]}${figures.length > 0 ? ` — ${figures.join(", ")}` : ""}`;
}

function spendLine({ tokens, dollars, budget }: StatusView): string {
  return (
    `Spent ${tokens.toLocaleString("en-US")} of ${budget.tokens.toLocaleString("en-US")} tokens, ` +
    `$${dollars.toFixed(2)} of $${budget.dollars.toFixed(2)}.`
  );
}
