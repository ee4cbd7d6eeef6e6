import type { RunResult } from "../../sandbox/sandbox.ts";
import { clip, type TestRunner } from "../types.ts";

/** Any command, judged by its exit code alone: one result, id `command`. */
export function commandRunner(command: string): TestRunner {
  return {
    framework: "command",
    plan() {
      return { command, collect: [] };
    },
    parse(run: RunResult) {
      const passed = run.exitCode === 0 && !run.timedOut && !run.oomKilled && !run.outputCapped;
      const tail = `${run.stdout}\n${run.stderr}`.trim().slice(-2_000);
      return [
        {
          id: "command",
          file: null,
          outcome: passed ? "passed" : "failed",
          durationMs: run.durationMs,
          ...(passed ? {} : { message: clip(tail) ?? "" }),
        },
      ];
    },
  };
}
