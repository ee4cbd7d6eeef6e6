import { mean, median } from "./metrics.ts";

export interface InstanceResult {
  instance_id: string;
  repo: string;
  source?: string | undefined;
  status: "evaluated" | "skipped";
  skip_reason?: string;
  language?: string;
  gold_files?: string[];
  gold_elements?: string[];
  files?: string[];
  elements?: string[];
  file_hit_at_1?: boolean;
  file_hit_at_3?: boolean;
  file_hit_at_5?: boolean;
  function_recall?: number | undefined;
  line_coverage?: number | undefined;
  window_lines?: number;
  prompt_tokens?: number;
  prompt_tokens_by_stage?: Record<string, number>;
  seconds?: number;
  index_from_cache?: boolean;
  baseline_files?: string[];
  baseline_hit_at_1?: boolean;
  baseline_hit_at_3?: boolean;
  baseline_hit_at_5?: boolean;
  notices?: string[];
}

export interface Figures {
  evaluated: number;
  file_acc_at_1: number | null;
  file_acc_at_3: number | null;
  file_acc_at_5: number | null;
  /** Mean over instances whose patch touches at least one element. */
  function_recall: number | null;
  function_recall_instances: number;
  line_coverage: number | null;
  prompt_tokens_median: number | null;
  seconds_median: number | null;
  window_lines_median: number | null;
  baseline: { file_acc_at_1: number | null; file_acc_at_3: number | null; file_acc_at_5: number | null };
}

export interface LocalizeEvalReport extends Figures {
  dataset: string;
  command: string;
  used_model: boolean;
  skipped: number;
  skipped_reasons: Record<string, number>;
  by_language: Record<string, Figures>;
  by_repo: Record<string, Figures>;
  instances: InstanceResult[];
}

export function summarize(
  results: readonly InstanceResult[],
  meta: { dataset: string; command: string; usedModel: boolean },
): LocalizeEvalReport {
  const evaluated = results.filter((result) => result.status === "evaluated");
  const skippedReasons: Record<string, number> = {};
  for (const result of results) {
    if (result.status === "skipped") {
      const reason = result.skip_reason ?? "unknown";
      skippedReasons[reason] = (skippedReasons[reason] ?? 0) + 1;
    }
  }
  const languages = [...new Set(evaluated.map((result) => result.language ?? "other"))].sort();
  const repos = [...new Set(evaluated.map((result) => result.repo))].sort();
  return {
    dataset: meta.dataset,
    command: meta.command,
    used_model: meta.usedModel,
    ...figures(evaluated),
    skipped: results.length - evaluated.length,
    skipped_reasons: skippedReasons,
    by_language: Object.fromEntries(
      languages.map((language) => [
        language,
        figures(evaluated.filter((result) => (result.language ?? "other") === language)),
      ]),
    ),
    by_repo: Object.fromEntries(
      repos.map((repo) => [repo, figures(evaluated.filter((result) => result.repo === repo))]),
    ),
    instances: [...results],
  };
}

function figures(results: readonly InstanceResult[]): Figures {
  const rate = (pick: (result: InstanceResult) => boolean | undefined) =>
    round(mean(results.map((result) => (pick(result) ? 1 : 0))));
  const recalls = results.map((result) => result.function_recall);
  return {
    evaluated: results.length,
    file_acc_at_1: rate((result) => result.file_hit_at_1),
    file_acc_at_3: rate((result) => result.file_hit_at_3),
    file_acc_at_5: rate((result) => result.file_hit_at_5),
    function_recall: round(mean(recalls)),
    function_recall_instances: recalls.filter((value) => value !== undefined).length,
    line_coverage: round(mean(results.map((result) => result.line_coverage))),
    prompt_tokens_median: round(median(results.map((result) => result.prompt_tokens ?? 0)), 0),
    seconds_median: round(median(results.map((result) => result.seconds ?? 0)), 2),
    window_lines_median: round(median(results.map((result) => result.window_lines ?? 0)), 0),
    baseline: {
      file_acc_at_1: rate((result) => result.baseline_hit_at_1),
      file_acc_at_3: rate((result) => result.baseline_hit_at_3),
      file_acc_at_5: rate((result) => result.baseline_hit_at_5),
    },
  };
}

function round(value: number | undefined, digits = 3): number | null {
  if (value === undefined) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The table printed at the end of `autofix eval localize`. */
export function formatTable(report: LocalizeEvalReport): string {
  const columns: [string, Figures][] = [["all", report], ...Object.entries(report.by_language)];
  const show = (value: number | null) => (value === null ? "-" : String(value));
  const rows: [string, (f: Figures) => string][] = [
    ["instances", (f) => String(f.evaluated)],
    ["file_acc_at_1", (f) => show(f.file_acc_at_1)],
    ["file_acc_at_3", (f) => show(f.file_acc_at_3)],
    ["file_acc_at_5", (f) => show(f.file_acc_at_5)],
    ["function_recall", (f) => show(f.function_recall)],
    ["line_coverage", (f) => show(f.line_coverage)],
    ["prompt_tokens_median", (f) => show(f.prompt_tokens_median)],
    ["seconds_median", (f) => show(f.seconds_median)],
    ["baseline file_acc_at_1", (f) => show(f.baseline.file_acc_at_1)],
    ["baseline file_acc_at_3", (f) => show(f.baseline.file_acc_at_3)],
    ["baseline file_acc_at_5", (f) => show(f.baseline.file_acc_at_5)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const cell = 12;
  const lines = [
    `${"".padEnd(width)}${columns.map(([name]) => name.padStart(cell)).join("")}`,
    ...rows.map(
      ([label, get]) => `${label.padEnd(width)}${columns.map(([, f]) => get(f).padStart(cell)).join("")}`,
    ),
  ];
  const reasons = Object.entries(report.skipped_reasons)
    .map(([reason, count]) => `${count} ${reason}`)
    .join(", ");
  const head = `${report.evaluated} evaluated, ${report.skipped} skipped${reasons ? ` (${reasons})` : ""}; ${report.used_model ? "with the model stages" : "retrieval only (--no-llm)"}`;
  return `${head}\n${lines.join("\n")}\n\n${formatRepoTable(report.by_repo)}`;
}

/** One line per repository: the figures that compare projects. */
export function formatRepoTable(byRepo: Record<string, Figures>): string {
  const show = (value: number | null) => (value === null ? "-" : value.toFixed(3));
  const entries = Object.entries(byRepo);
  const width = Math.max(10, ...entries.map(([repo]) => repo.length)) + 2;
  const header = ["instances", "acc@1", "acc@3", "acc@5", "func_recall"];
  const lines = [
    `${"repository".padEnd(width)}${header.map((name) => name.padStart(12)).join("")}`,
    ...entries.map(
      ([repo, f]) =>
        `${repo.padEnd(width)}${[
          String(f.evaluated),
          show(f.file_acc_at_1),
          show(f.file_acc_at_3),
          show(f.file_acc_at_5),
          show(f.function_recall),
        ]
          .map((cell) => cell.padStart(12))
          .join("")}`,
    ),
  ];
  return lines.join("\n");
}
