import type { Exclusion } from "./bug.ts";
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
  runs: number;
  runsWithoutGrouping: number;
  twinsGrouped: number;
};

/** A pool with gold counts as right when the chosen group holds the gold answer. */
export function choseGold(outcome: PoolOutcome): boolean {
  return outcome.decision === "patch" && outcome.chosenKinds.includes("gold");
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

export function renderTable(rows: readonly BugRow[]): string {
  const header = [
    "bug",
    "kept",
    "regr tests",
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

export function renderTotals(totals: Totals): string {
  return [
    `bugs: ${totals.bugs} in the dataset, ${totals.withGoldPools} used, ${totals.excluded} left out`,
    `(1) correct candidate chosen when one is present: ${totals.correctChosen}/${totals.withGoldPools} = ${pct(totals.correctChosen, totals.withGoldPools)} (target ≥ 90%)`,
    `(2) abstention when none is present: ${totals.abstained}/${totals.withoutGoldPools} = ${pct(totals.abstained, totals.withoutGoldPools)} (target ≥ 95%)`,
    `(3) patches proposed without fail-before/pass-after evidence: ${totals.unsupported} (must be 0)`,
    `(4) test runs: ${totals.runs} with grouping, ${totals.runsWithoutGrouping} without grouping (each accepted candidate run as its group was): ${totals.runsWithoutGrouping - totals.runs} saved (${pct(totals.runsWithoutGrouping - totals.runs, totals.runsWithoutGrouping)})`,
    `reformatted gold twins in gold's group: ${totals.twinsGrouped}/${totals.withGoldPools}`,
  ].join("\n");
}

export function renderExclusions(excluded: readonly { bug: string; exclusion: Exclusion }[]): string {
  if (excluded.length === 0) return "no bug left out";
  return excluded
    .map(({ bug, exclusion }) => `  ${bug} (${exclusion.stage}): ${exclusion.reason}`)
    .join("\n");
}
