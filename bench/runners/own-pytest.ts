import type { Counts, OwnPlan, OwnResult } from "./types.ts";
import { OWN_DIR } from "./types.ts";

const VERSION_REPORT = `${OWN_DIR}/pytest-version.txt`;
const COLLECT_REPORT = `${OWN_DIR}/pytest-collect.txt`;
const RUN_REPORT = `${OWN_DIR}/pytest-run.txt`;

/**
 * The repository's own pytest command three times in one container: `--version`, `--collect-only -q`
 * (its node ids give the files it runs) and the run itself, whose summary line gives the counts.
 */
export function pytestOwnPlan(command: string): OwnPlan {
  const steps = [
    `python3 -m pytest --version > ${VERSION_REPORT} 2>&1`,
    `${command} --collect-only -q > ${COLLECT_REPORT} 2>&1`,
    `${command} > ${RUN_REPORT} 2>&1`,
  ];
  return {
    command: `mkdir -p ${OWN_DIR}; ${steps.join("; ")}`,
    files: [],
    collect: [VERSION_REPORT, COLLECT_REPORT, RUN_REPORT],
  };
}

/** Files of `--collect-only -q` output: node ids (`tests/a.py::T::t[1]`) and collection errors. */
export function parsePytestCollect(output: string): string[] {
  const files = new Set<string>();
  for (const line of output.split("\n")) {
    const nodeId = /^([^\s:]+\.py)::/.exec(line);
    const error = /^ERROR (?:collecting )?([^\s:]+\.py)\b/.exec(line);
    const file = nodeId?.[1] ?? error?.[1];
    if (file !== undefined) files.add(file);
  }
  return [...files].sort();
}

const TALLY_WORDS = ["passed", "failed", "error", "skipped", "xfailed", "xpassed"] as const;
type TallyWord = (typeof TALLY_WORDS)[number];
export type PytestTally = Record<TallyWord, number>;

/** The final `== 3 failed, 120 passed, 2 skipped, 1 error in 4.2s ==` line, or null when none. */
export function parsePytestSummary(output: string): PytestTally | null {
  const lines = output.split("\n").reverse();
  for (const line of lines) {
    const text = line.replace(/^=+\s*|\s*=+$/g, "").trim();
    if (!/\bin [\d.]+s\b/.test(text) && !/^no tests ran\b/.test(text)) continue;
    const tally: PytestTally = { passed: 0, failed: 0, error: 0, skipped: 0, xfailed: 0, xpassed: 0 };
    let found = /^no tests ran\b/.test(text);
    for (const match of text.matchAll(/(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)\b/g)) {
      const word = (match[2] === "errors" ? "error" : match[2]) as TallyWord;
      tally[word] += Number(match[1]);
      found = true;
    }
    if (found) return tally;
  }
  return null;
}

/** pytest's tally in the runner's terms: xpassed pass, xfailed are skipped, errors fail. */
export function countsOfTally(tally: PytestTally): Counts {
  return {
    passed: tally.passed + tally.xpassed,
    failed: tally.failed + tally.error,
    skipped: tally.skipped + tally.xfailed,
  };
}

export function parsePytestOwn(collected: Record<string, string>): OwnResult {
  const version = /pytest \S+/.exec(collected[VERSION_REPORT] ?? "")?.[0] ?? "pytest ?";
  const collect = collected[COLLECT_REPORT];
  const tally = parsePytestSummary(collected[RUN_REPORT] ?? "");
  const files = collect === undefined ? null : parsePytestCollect(collect);
  const problems = [
    ...(files === null || files.length === 0 ? ["--collect-only listed no test"] : []),
    ...(tally === null ? ["the run printed no summary line"] : []),
  ];
  return {
    version,
    files,
    counts: tally === null ? null : countsOfTally(tally),
    problem: problems.length > 0 ? problems.join("; ") : null,
  };
}
