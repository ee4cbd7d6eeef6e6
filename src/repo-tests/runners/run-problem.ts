import type { RunResult } from "../../sandbox/sandbox.ts";
import type { Framework } from "../types.ts";
import { describeFramework, type FrameworkIdentity } from "./framework-version.ts";

export type ProblemInput = {
  framework: Framework;
  command: string;
  run: RunResult;
  /** Results the runner read (before filtering to the selection). */
  resultCount: number;
  /** Report files the plan collects: none of them present means the command wrote no report. */
  reports: readonly string[];
  identity: FrameworkIdentity | null;
};

const COMMAND_MAX_CHARS = 600;
const TAIL_LINES = 15;

/**
 * Why a run's per-test results cannot be trusted, or null. A run with no results always says which
 * framework and version ran, with what command, and how it ended: never silent.
 */
export function problemOf(input: ProblemInput): string | null {
  const { run } = input;
  const seconds = (run.durationMs / 1000).toFixed(1);
  if (run.timedOut) return `the tests timed out after ${seconds}s and were killed`;
  if (run.oomKilled) return "the tests were killed for using more memory than the sandbox allows";
  if (run.outputCapped) return "the tests printed more output than the sandbox keeps and were killed";
  if (run.diskExceeded)
    return "the tests wrote more than the sandbox's disk limit (sandbox.disk) and were killed";
  if (input.resultCount > 0) return null;
  const tail = `${run.stdout}\n${run.stderr}`.trim().split("\n").slice(-TAIL_LINES).join("\n");
  const who = describeFramework(input.framework, input.identity);
  const command =
    input.command.length <= COMMAND_MAX_CHARS
      ? input.command
      : `${input.command.slice(0, COMMAND_MAX_CHARS)}…`;
  const how = `command \`${command}\` exit ${run.exitCode}. Last output:\n${tail}`;
  const wroteReport = input.reports.length === 0 || input.reports.some((report) => report in run.collected);
  return wroteReport ? `no tests ran: ${who}, ${how}` : `${who} wrote no report: ${how}`;
}
