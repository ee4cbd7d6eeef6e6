import type { RunResult } from "../../sandbox/sandbox.ts";
import { REPORT_DIR, shellQuote, type TestRunner } from "../types.ts";
import { filesOf, namePattern, parseJestJson } from "./jest-json.ts";
import { jsBin } from "./js-bin.ts";

const REPORT = `${REPORT_DIR}/vitest.json`;

export function vitestRunner(): TestRunner {
  return {
    framework: "vitest",
    plan(selection) {
      const pattern = selection === null ? null : namePattern(selection);
      const args = [
        jsBin("vitest"),
        "run --reporter=default --reporter=json",
        `--outputFile.json=${REPORT}`,
        ...(pattern === null ? [] : [`--testNamePattern=${shellQuote(pattern)}`]),
        ...(selection === null ? [] : filesOf(selection).map(shellQuote)),
      ];
      return { command: `mkdir -p ${REPORT_DIR} && ${args.join(" ")}`, collect: [REPORT] };
    },
    parse(run: RunResult) {
      const json = run.collected[REPORT];
      return json === undefined ? [] : parseJestJson(json);
    },
  };
}
