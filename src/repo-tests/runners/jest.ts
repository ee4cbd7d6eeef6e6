import type { RunResult } from "../../sandbox/sandbox.ts";
import { REPORT_DIR, shellQuote, type TestRunner } from "../types.ts";
import { VERSION_FILE } from "./framework-version.ts";
import { filesOf, namePattern, parseJestJson } from "./jest-json.ts";
import { JEST_PROCESSOR, JEST_PROCESSOR_REPORT, JEST_PROCESSOR_SOURCE } from "./jest-processor.ts";
import { jsBin } from "./js-bin.ts";
import { quotedArgs, type RunnerOptions } from "./options.ts";

const REPORT = `${REPORT_DIR}/jest.json`;

/** Jest before 21: no `--runTestsByPath`, and `--json` without describe titles. */
const BEFORE_21 = "[0-9].*|1[0-9].*|20.*";

/**
 * Jest 20 to 30; the version read in the container picks the flags. From jest 21: `--ci --json
 * --outputFile` and `--runTestsByPath`. Before: a results processor writes the report, and files
 * are selected by path patterns (regex-escaped, anchored at the end); `--ci` is left out (jest < 20
 * rejects it) and jest's default, on under `CI=true` as the sandbox sets it, does the same.
 */
export function jestRunner(options: RunnerOptions = {}): TestRunner {
  return {
    framework: "jest",
    plan(selection) {
      const bin = jsBin("jest");
      const pattern = selection === null ? null : namePattern(selection);
      const files = selection === null ? [] : filesOf(selection);
      const common = [
        '"$BIN"',
        ...quotedArgs(options),
        "--watchman=false",
        ...(pattern === null ? [] : [`--testNamePattern=${shellQuote(pattern)}`]),
      ];
      const current = [
        ...common,
        `--ci --json --outputFile=${REPORT}`,
        ...(files.length === 0 ? [] : ["--runTestsByPath", ...files.map(shellQuote)]),
      ].join(" ");
      const old = [
        ...common,
        `--testResultsProcessor=${JEST_PROCESSOR}`,
        ...files.map((file) => shellQuote(`${escapeRegex(file)}$`)),
      ].join(" ");
      const version = `"$(cut -f2 ${VERSION_FILE} 2>/dev/null)"`;
      return {
        command: `mkdir -p ${REPORT_DIR} && ${bin.shell}; case ${version} in ${BEFORE_21}) ${old} ;; *) ${current} ;; esac`,
        files: [bin.file, { path: JEST_PROCESSOR, content: JEST_PROCESSOR_SOURCE }],
        collect: [REPORT, JEST_PROCESSOR_REPORT],
        versionFile: VERSION_FILE,
      };
    },
    parse(run: RunResult) {
      const json = run.collected[REPORT] ?? run.collected[JEST_PROCESSOR_REPORT];
      return json === undefined ? [] : parseJestJson(json);
    },
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
