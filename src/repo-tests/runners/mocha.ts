import { z } from "zod";
import type { RunResult } from "../../sandbox/sandbox.ts";
import { parseJsonAs } from "../../text/parse-json.ts";
import { clip, jsTestId, REPORT_DIR, shellQuote, type TestResult, type TestRunner } from "../types.ts";
import { VERSION_FILE } from "./framework-version.ts";
import { filesOf, namePattern, relativeToWorkspace } from "./jest-json.ts";
import { jsBin } from "./js-bin.ts";
import {
  MOCHA_BUILTIN_ONLY_VERSIONS,
  MOCHA_BUILTIN_REPORT,
  parseMochaBuiltinJson,
} from "./mocha-builtin-json.ts";
import { MOCHA_REPORT, MOCHA_REPORTER, MOCHA_REPORTER_SOURCE } from "./mocha-reporter.ts";
import { quotedArgs, type RunnerOptions } from "./options.ts";

const reportSchema = z.array(
  z.object({
    file: z.string().nullable(),
    titles: z.array(z.string()),
    hook: z.boolean().optional(),
    outcome: z.enum(["passed", "failed", "error", "skipped"]),
    durationMs: z.number().nullish(),
    message: z.string().nullish(),
    /** Which runnable object reported: two tests may share a file and title path. */
    seq: z.number().optional(),
  }),
);

/**
 * Mocha 2 to 12. Our `--reporter` comes after the repository's arguments, and mocha lets the command
 * line win over `test/mocha.opts` (mocha ≤ 7 puts the opts before argv) and `.mocharc.*` (mocha ≥ 6).
 */
export function mochaRunner(options: RunnerOptions = {}): TestRunner {
  return {
    framework: "mocha",
    plan(selection) {
      const bin = jsBin("mocha");
      const pattern = selection === null ? null : namePattern(selection);
      const selected = [
        ...(pattern === null ? [] : [`--grep ${shellQuote(pattern)}`]),
        ...(selection === null ? [] : filesOf(selection).map(shellQuote)),
      ];
      const mocha = ['"$BIN"', ...quotedArgs(options)];
      const ours = [...mocha, `--reporter ${MOCHA_REPORTER}`, ...selected].join(" ");
      const builtin = [...mocha, "--reporter json", ...selected, `> ${MOCHA_BUILTIN_REPORT}`].join(" ");
      const version = `"$(cut -f2 ${VERSION_FILE} 2>/dev/null)"`;
      return {
        command: `mkdir -p ${REPORT_DIR} && ${bin.shell}; case ${version} in ${MOCHA_BUILTIN_ONLY_VERSIONS}) ${builtin} ;; *) ${ours} ;; esac`,
        files: [{ path: MOCHA_REPORTER, content: MOCHA_REPORTER_SOURCE }, bin.file],
        collect: [MOCHA_REPORT, MOCHA_BUILTIN_REPORT],
        versionFile: VERSION_FILE,
      };
    },
    parse(run: RunResult) {
      const text = run.collected[MOCHA_REPORT];
      if (text !== undefined) return parseMochaReport(text);
      const builtin = run.collected[MOCHA_BUILTIN_REPORT];
      return builtin === undefined ? [] : parseMochaBuiltinJson(builtin);
    },
  };
}

/**
 * Our reporter's output. A failing hook stops the tests of its suite from running: it is an error
 * of its file (id = the file, like a file that cannot load), so those tests are answered for.
 * A test reported twice (mocha ≥ 8 reports `done()` called twice as a second failure) keeps its
 * worst outcome; two tests that share a file and title path (two `describe('x')` blocks) are told
 * apart by the order they ran in: `… > title`, `… > title (2)`.
 */
export function parseMochaReport(text: string): TestResult[] {
  const report = parseJsonAs(text, reportSchema);
  if (report === null) return [];
  const byId = new Map<string, TestResult>();
  const runnablesOf = new Map<string, number[]>();
  for (const test of report) {
    const file = test.file === null ? null : relativeToWorkspace(test.file);
    const hookOfFile = test.hook === true && file !== null;
    const id = hookOfFile
      ? file
      : distinct(jsTestId(file ?? "(unknown file)", test.titles), test.seq, runnablesOf);
    const text = hookOfFile ? `${test.titles.join(" > ")}: ${test.message ?? ""}` : test.message;
    const message = clip(text ?? undefined);
    const result: TestResult = {
      id,
      file,
      outcome: test.outcome,
      ...(test.durationMs == null || hookOfFile ? {} : { durationMs: Math.round(test.durationMs) }),
      ...(message ? { message } : {}),
    };
    const known = byId.get(id);
    byId.set(id, known === undefined ? result : worse(known, result));
  }
  return [...byId.values()];
}

/** `id`, or `id (n)` for the n-th distinct runnable reported under the same id. */
function distinct(id: string, seq: number | undefined, runnablesOf: Map<string, number[]>): string {
  if (seq === undefined) return id;
  const seen = runnablesOf.get(id) ?? [];
  if (!seen.includes(seq)) seen.push(seq);
  runnablesOf.set(id, seen);
  const n = seen.indexOf(seq) + 1;
  return n === 1 ? id : `${id} (${n})`;
}

const SEVERITY = { skipped: 0, passed: 1, failed: 2, error: 3 } as const;

function worse(known: TestResult, next: TestResult): TestResult {
  if (SEVERITY[next.outcome] < SEVERITY[known.outcome]) return known;
  if (SEVERITY[next.outcome] > SEVERITY[known.outcome]) return next;
  const message = [known.message, next.message].filter(Boolean).join("\n");
  return { ...known, ...(message ? { message: clip(message) } : {}) };
}
