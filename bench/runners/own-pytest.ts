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


_outcomes = {}
_severity = {"skipped": 0, "passed": 1, "failed": 2}


def pytest_runtest_logreport(report):
    # A failing setup or teardown fails its test; a skip in setup skips it.
    if report.when != "call" and report.passed:
        return
    known = _outcomes.get(report.nodeid, "skipped")
    if _severity[report.outcome] >= _severity[known]:
        _outcomes[report.nodeid] = report.outcome


def pytest_sessionfinish(session):
    with open(${JSON.stringify(FILES_REPORT)}, "w") as out:
        json.dump({"files": sorted(_files), "outcomes": _outcomes}, out)
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

const pluginSchema = z.object({
  files: z.array(z.string()),
  outcomes: z.record(z.string(), z.enum(["passed", "failed", "skipped"])),
});
type PluginReport = { files: string[]; titles: { passed: string[]; failed: string[] } };

/** The plugin's collected modules (sorted, once each) and node ids per outcome. */
export function parsePytestPlugin(json: string | undefined): PluginReport | null {
  if (json === undefined) return null;
  try {
    const parsed = pluginSchema.safeParse(JSON.parse(json));
    if (!parsed.success) return null;
    const outcomes = Object.entries(parsed.data.outcomes);
    const ids = (outcome: string) => outcomes.filter(([, seen]) => seen === outcome).map(([id]) => id);
    return {
      files: [...new Set(parsed.data.files)].sort(),
      titles: { passed: ids("passed"), failed: ids("failed") },
    };
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
  const plugin = parsePytestPlugin(collected[FILES_REPORT]);
  const files = plugin?.files ?? null;
  const problems = [
    ...(files === null ? ["the plugin recorded no collected module"] : []),
    ...(tally === null ? ["the run printed no summary line"] : []),
  ];
  return {
    version,
    files,
    counts: tally === null ? null : countsOfTally(tally),
    ...(plugin === null ? {} : { titles: plugin.titles }),
    problem: problems.length > 0 ? problems.join("; ") : null,
  };
}
