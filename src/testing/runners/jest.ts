import type { RunResult } from "../../sandbox/sandbox.ts";
import { REPORT_DIR, shellQuote, type TestRunner } from "../types.ts";
import { filesOf, namePattern, parseJestJson } from "./jest-json.ts";
import { jsBin } from "./js-bin.ts";

const REPORT = `${REPORT_DIR}/jest.json`;

export function jestRunner(): TestRunner {
  return {
    framework: "jest",
    plan(selection) {
      const pattern = selection === null ? null : namePattern(selection);
      const args = [
        jsBin("jest"),
        "--ci --json --watchman=false",
        `--outputFile=${REPORT}`,
        ...(pattern === null ? [] : [`--testNamePattern=${shellQuote(pattern)}`]),
        ...(selection === null ? [] : ["--runTestsByPath", ...filesOf(selection).map(shellQuote)]),
      ];
      return { command: `mkdir -p ${REPORT_DIR} && ${args.join(" ")}`, collect: [REPORT] };
    },
    parse(run: RunResult) {
      const json = run.collected[REPORT];
      return json === undefined ? [] : parseJestJson(json);
    },
  };
}
