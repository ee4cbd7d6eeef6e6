import { z } from "zod";
import type { Counts, OwnPlan, OwnResult } from "./types.ts";
import { OWN_DIR } from "./types.ts";

const VERSION_REPORT = `${OWN_DIR}/pytest-version.txt`;
const FILES_REPORT = `${OWN_DIR}/pytest-files.json`;
const RUN_REPORT = `${OWN_DIR}/pytest-run.txt`;
const PLUGIN = "autofix_bench_files";

/**
 * A plugin (`-p`) that records every module pytest collects — test modules with no test and modules
 * that fail to import too, which `--collect-only -q` leaves out — the pytest twin of the mocha hook.
 */
const PLUGIN_SOURCE = `import json
import pytest

_files = set()
_package = getattr(pytest, "Package", ())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    if isinstance(collector, pytest.Module) and not isinstance(collector, _package):
        _files.add(collector.nodeid.split("::")[0])
    yield


def pytest_sessionfinish(session):
    with open(${JSON.stringify(FILES_REPORT)}, "w") as out:
        json.dump(sorted(_files), out)
`;

/** The repository's own pytest command with the plugin, and `--version`; the summary line gives the counts. */
export function pytestOwnPlan(command: string): OwnPlan {
  const withPlugin = `PYTHONPATH=${OWN_DIR}\${PYTHONPATH:+:$PYTHONPATH} ${command} -p ${PLUGIN}`;
  const steps = [
    `python3 -m pytest --version > ${VERSION_REPORT} 2>&1`,
    `${withPlugin} > ${RUN_REPORT} 2>&1`,
  ];
  return {
    command: `mkdir -p ${OWN_DIR}; ${steps.join("; ")}`,
    files: [{ path: `${OWN_DIR}/${PLUGIN}.py`, content: PLUGIN_SOURCE }],
    collect: [VERSION_REPORT, FILES_REPORT, RUN_REPORT],
  };
}

const filesSchema = z.array(z.string());

export function parsePytestFiles(json: string | undefined): string[] | null {
  if (json === undefined) return null;
  try {
    const parsed = filesSchema.safeParse(JSON.parse(json));
    return parsed.success ? [...new Set(parsed.data)].sort() : null;
  } catch {
    return null;
  }
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
  const tally = parsePytestSummary(collected[RUN_REPORT] ?? "");
  const files = parsePytestFiles(collected[FILES_REPORT]);
  const problems = [
    ...(files === null ? ["the plugin recorded no collected module"] : []),
    ...(tally === null ? ["the run printed no summary line"] : []),
  ];
  return {
    version,
    files,
    counts: tally === null ? null : countsOfTally(tally),
    problem: problems.length > 0 ? problems.join("; ") : null,
  };
}
