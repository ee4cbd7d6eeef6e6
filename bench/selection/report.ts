import type { Exclusion } from "./bug.ts";
import { projectOf } from "./dataset.ts";
import type { PoolOutcome } from "./evaluate.ts";

export type BugRow = {
  bug: string;
  kept: number;
  selection: number;
  regressionTests: number;
  wrongKinds: string[];
  withGold: PoolOutcome;
  withoutGold: PoolOutcome;
};

export type Totals = {
  bugs: number;
  excluded: number;
  correctChosen: number;
  withGoldPools: number;
  abstained: number;
  withoutGoldPools: number;
  unsupported: number;
  /** Patches proposed with no steadily passing regression test run: failures, like unsupported ones. */
  withoutRegressionTests: number;
  runs: number;
  runsWithoutGrouping: number;
  twinsGrouped: number;
};

/**
 * A pool with gold counts as right when the chosen group holds the gold answer and some regression
 * test that passed before ran with it (a patch resting on the reproduction tests alone is a failure).
 */
export function choseGold(outcome: PoolOutcome): boolean {
  return (
    outcome.decision === "patch" && outcome.chosenKinds.includes("gold") && !outcome.withoutRegressionTests
  );
}

export function totalsOf(rows: readonly BugRow[], excluded: number): Totals {
  const pools = rows.flatMap((row) => [row.withGold, row.withoutGold]);
  return {
    bugs: rows.length + excluded,
    excluded,
    correctChosen: rows.filter((row) => choseGold(row.withGold)).length,
    withGoldPools: rows.length,
    abstained: rows.filter((row) => row.withoutGold.decision === "abstain").length,
    withoutGoldPools: rows.length,
    unsupported: pools.filter((pool) => pool.unsupported).length,
    withoutRegressionTests: pools.filter((pool) => pool.withoutRegressionTests).length,
    runs: pools.reduce((sum, pool) => sum + pool.runs, 0),
    runsWithoutGrouping: pools.reduce((sum, pool) => sum + pool.runsWithoutGrouping, 0),
    twinsGrouped: rows.filter((row) => row.withGold.twinsGrouped === true).length,
  };
}

const pct = (n: number, d: number) => (d === 0 ? "n/a" : `${((100 * n) / d).toFixed(1)}%`);

function pad(cells: string[][]): string {
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length))) ?? [];
  return cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Steady regression tests run with the chosen group (or gold's); "–" when no group was chosen or shown. */
const ranWith = (pool: PoolOutcome) =>
  pool.decision === "patch" || pool.goldValidated !== null ? String(pool.regressionSteady) : "–";

export function renderTable(rows: readonly BugRow[]): string {
  const header = [
    "bug",
    "kept",
    "regr tests",
    "regr steady",
    "cands",
    "groups",
    "refused",
    "with gold → decision",
    "ok",
    "without gold → decision",
    "ok",
    "runs",
    "saved",
  ];
  const body = rows.map((row) => {
    const g = row.withGold;
    const n = row.withoutGold;
    const chosen = (pool: PoolOutcome) =>
      pool.decision === "patch" ? `patch [${[...new Set(pool.chosenKinds)].join("+")}]` : "abstain";
    return [
      row.bug,
      String(row.kept),
      String(row.regressionTests),
      `${ranWith(g)}/${ranWith(n)}`,
      `${g.candidates}/${n.candidates}`,
      `${g.groups}/${n.groups}`,
      `${g.refused}/${n.refused}`,
      chosen(g),
      choseGold(g) ? "yes" : "NO",
      chosen(n),
      n.decision === "abstain" ? "yes" : "NO",
      String(g.runs + n.runs),
      String(g.runsWithoutGrouping + n.runsWithoutGrouping - g.runs - n.runs),
    ];
  });
  return pad([header, ...body]);
}

export function renderTotals(totals: Totals, label = "all"): string {
  return [
    `${label}: ${totals.bugs} bugs, ${totals.withGoldPools} used, ${totals.excluded} left out`,
    `(1) correct candidate chosen when one is present: ${totals.correctChosen}/${totals.withGoldPools} = ${pct(totals.correctChosen, totals.withGoldPools)} (target ≥ 90%)`,
    `(2) abstention when none is present: ${totals.abstained}/${totals.withoutGoldPools} = ${pct(totals.abstained, totals.withoutGoldPools)} (target ≥ 95%)`,
    `(3) patches proposed without fail-before/pass-after evidence: ${totals.unsupported} (must be 0); with no regression test run: ${totals.withoutRegressionTests} (must be 0)`,
    `(4) test runs: ${totals.runs} with grouping, ${totals.runsWithoutGrouping} without grouping (each accepted candidate run as its group was): ${totals.runsWithoutGrouping - totals.runs} saved (${pct(totals.runsWithoutGrouping - totals.runs, totals.runsWithoutGrouping)})`,
    `reformatted gold twins in gold's group: ${totals.twinsGrouped}/${totals.withGoldPools}`,
  ].join("\n");
}

/** One totals line per project, in the order the rows came. */
export function totalsByProject(
  rows: readonly BugRow[],
  excluded: readonly { bug: string; exclusion: Exclusion }[],
): [string, Totals][] {
  const projects = [
    ...new Set([...rows.map((row) => row.bug), ...excluded.map((e) => e.bug)].map(projectOf)),
  ];
  return projects.map((project) => [
    project,
    totalsOf(
      rows.filter((row) => projectOf(row.bug) === project),
      excluded.filter((e) => projectOf(e.bug) === project).length,
    ),
  ]);
}

/** A project's figures on one line. */
export function renderProjectLine(project: string, totals: Totals): string {
  const saved = totals.runsWithoutGrouping - totals.runs;
  return (
    `${project}: ${totals.withGoldPools}/${totals.bugs} used; correct chosen ${totals.correctChosen}/${totals.withGoldPools} = ${pct(totals.correctChosen, totals.withGoldPools)}; ` +
    `abstained ${totals.abstained}/${totals.withoutGoldPools} = ${pct(totals.abstained, totals.withoutGoldPools)}; ` +
    `unsupported ${totals.unsupported}; no regression test ${totals.withoutRegressionTests}; runs ${totals.runs} (${pct(saved, totals.runsWithoutGrouping)} saved)`
  );
}

export function renderExclusions(excluded: readonly { bug: string; exclusion: Exclusion }[]): string {
  if (excluded.length === 0) return "no bug left out";
  return excluded
    .map(({ bug, exclusion }) => `  ${bug} (${exclusion.stage}): ${exclusion.reason}`)
    .join("\n");
}
