import { z } from "zod";
import type { SandboxFile } from "../../src/sandbox/sandbox.ts";
import type { Counts, OwnPlan, OwnResult } from "./types.ts";
import { OWN_DIR, relativeFiles } from "./types.ts";

const FILES_REPORT = `${OWN_DIR}/mocha-files.json`;
const STDOUT_REPORT = `${OWN_DIR}/mocha-stdout.txt`;
const SPEC_REPORT = `${OWN_DIR}/mocha-spec.txt`;
const HOOK_PATH = `${OWN_DIR}/record-files.cjs`;

/**
 * Loaded with `--require` by the repository's own mocha (1.x to 11): it wraps `Mocha#run` of the
 * mocha module the command runs (resolved from the workspace, so the same module instance) and writes
 * `this.files`, the exact list mocha loads, when the run starts. Old mocha's JSON reporter has no file.
 */
const HOOK_SOURCE = `"use strict";
const fs = require("fs");
const path = require("path");
let Mocha = null;
let version = null;
try {
  Mocha = require(require.resolve("mocha", { paths: [process.cwd()] }));
  version = require(require.resolve("mocha/package.json", { paths: [process.cwd()] })).version;
} catch (error) {}
if (Mocha && Mocha.prototype && typeof Mocha.prototype.run === "function") {
  const run = Mocha.prototype.run;
  Mocha.prototype.run = function () {
    const files = (this.files || []).map((file) => path.resolve(file));
    fs.mkdirSync(path.dirname(${JSON.stringify(FILES_REPORT)}), { recursive: true });
    fs.writeFileSync(${JSON.stringify(FILES_REPORT)}, JSON.stringify({ version, files }));
    return run.apply(this, arguments);
  };
}
`;

const REPORTER_OPTION = /(?:^|\s)(?:--reporter|-R)(?:=|\s+)\S+/g;

/** The command with its reporter replaced by one of mocha's own and the file-recording hook added. */
export function mochaOwnCommand(command: string, reporter: "json" | "spec" = "json"): string {
  const withoutReporter = command.replace(REPORTER_OPTION, "").trim();
  return `${withoutReporter} --reporter ${reporter} --require ${HOOK_PATH}`;
}

export function mochaOwnPlan(command: string): OwnPlan {
  const files: SandboxFile[] = [{ path: HOOK_PATH, content: HOOK_SOURCE }];
  return {
    // Some suites lose the json report (a test's error that JSON.stringify chokes on): spec's
    // epilogue counts are the fallback.
    command: [
      `mkdir -p ${OWN_DIR} && ${mochaOwnCommand(command)} > ${STDOUT_REPORT}`,
      `grep -q '"stats"' ${STDOUT_REPORT} || ${mochaOwnCommand(command, "spec")} > ${SPEC_REPORT} 2>&1`,
    ].join("; "),
    files,
    collect: [FILES_REPORT, STDOUT_REPORT, SPEC_REPORT],
  };
}

const statsSchema = z.object({
  passes: z.number().int(),
  failures: z.number().int(),
  pending: z.number().int().default(0),
});
const testsSchema = z.array(z.object({ fullTitle: z.string() })).default([]);
const reportSchema = z.object({ stats: statsSchema, passes: testsSchema, failures: testsSchema });
type MochaJson = z.infer<typeof statsSchema> & { passed: string[]; failed: string[] };
const filesSchema = z.object({ version: z.string().nullable(), files: z.array(z.string()) });

/**
 * Mocha's JSON reporter prints one pretty-printed object at the end of stdout, after whatever the
 * tests printed: the last `{` that opens `"stats"` starts it.
 */
export function parseMochaJson(stdout: string): MochaJson | null {
  const start = stdout.lastIndexOf('{\n  "stats"');
  if (start < 0) return null;
  try {
    const report = reportSchema.safeParse(JSON.parse(stdout.slice(start)));
    if (!report.success) return null;
    const { stats, passes, failures } = report.data;
    const titles = (tests: { fullTitle: string }[]) => tests.map((test) => test.fullTitle);
    return { ...stats, passed: titles(passes), failed: titles(failures) };
  } catch {
    return null;
  }
}

/** `121 passing (951ms)`, `17 failing`, `2 pending` from the spec/dot epilogue. */
export function parseMochaEpilogue(output: string): Counts | null {
  const count = (word: string) => {
    const matches = [...output.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, "gm"))];
    const last = matches[matches.length - 1];
    return last === undefined ? null : Number(last[1]);
  };
  const passed = count("passing");
  if (passed === null) return null;
  return { passed, failed: count("failing") ?? 0, skipped: count("pending") ?? 0 };
}

export function parseMochaOwn(collected: Record<string, string>): OwnResult {
  const stats = parseMochaJson(collected[STDOUT_REPORT] ?? "");
  const spec = stats === null ? parseMochaEpilogue(collected[SPEC_REPORT] ?? "") : null;
  let recorded: z.infer<typeof filesSchema> | null = null;
  try {
    const parsed = filesSchema.safeParse(JSON.parse(collected[FILES_REPORT] ?? ""));
    recorded = parsed.success ? parsed.data : null;
  } catch {
    recorded = null;
  }
  const problems = [
    ...(stats === null && spec === null ? ["mocha's json and spec reporters printed no report"] : []),
    ...(spec !== null ? ["json reporter printed no report, counts from the spec reporter"] : []),
    ...(recorded === null ? ["the hook recorded no file list (mocha did not start its run)"] : []),
  ];
  return {
    version: recorded?.version ? `mocha ${recorded.version}` : "mocha ?",
    files: recorded === null ? null : relativeFiles(recorded.files),
    counts: stats === null ? spec : { passed: stats.passes, failed: stats.failures, skipped: stats.pending },
    ...(stats === null ? {} : { titles: { passed: stats.passed, failed: stats.failed } }),
    problem: problems.length > 0 ? problems.join("; ") : null,
  };
}
