import type { RunResult } from "../../sandbox/sandbox.ts";
import { REPORT_DIR, shellQuote, type TestRunner } from "../types.ts";
import { VERSION_FILE } from "./framework-version.ts";
import { filesOf, namePattern, parseJestJson } from "./jest-json.ts";
import { jsBin } from "./js-bin.ts";
import { quotedArgs, type RunnerOptions } from "./options.ts";

const REPORT = `${REPORT_DIR}/vitest.json`;

export function vitestRunner(options: RunnerOptions = {}): TestRunner {
  return {
    framework: "vitest",
    plan(selection) {
      const pattern = selection === null ? null : namePattern(selection);
      const bin = jsBin("vitest");
      const args = [
        '"$BIN" run',
        ...quotedArgs(options),
        "--reporter=default --reporter=json",
        `--outputFile.json=${REPORT}`,
        ...(pattern === null ? [] : [`--testNamePattern=${shellQuote(pattern)}`]),
        ...(selection === null ? [] : filesOf(selection).map(shellQuote)),
      ];
      return {
        command: `mkdir -p ${REPORT_DIR} && ${bin.shell}; ${args.join(" ")}`,
        files: [bin.file],
        collect: [REPORT],
        versionFile: VERSION_FILE,
      };
    },
    parse(run: RunResult) {
      const json = run.collected[REPORT];
      return json === undefined ? [] : parseJestJson(json);
    },
  };
}
