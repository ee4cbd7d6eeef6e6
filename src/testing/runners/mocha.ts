import { z } from "zod";
import type { RunResult } from "../../sandbox/sandbox.ts";
import { clip, jsTestId, REPORT_DIR, shellQuote, type TestRunner } from "../types.ts";
import { filesOf, namePattern, relativeToWorkspace } from "./jest-json.ts";
import { jsBin } from "./js-bin.ts";

const REPORT = `${REPORT_DIR}/mocha.json`;
const REPORTER = `${REPORT_DIR}/mocha-reporter.cjs`;

/**
 * Mocha's own JSON reporter joins suite titles with spaces, which makes ids ambiguous; this small
 * reporter (put into the container) writes each test's title path instead.
 */
const REPORTER_SOURCE = `"use strict";
const fs = require("node:fs");
module.exports = function AutofixMochaReporter(runner) {
  const results = [];
  const add = (test, outcome, err) => results.push({
    file: test.file || null,
    titles: test.titlePath(),
    outcome,
    durationMs: test.duration,
    message: err ? String((err && err.stack) || err).slice(0, 4000) : undefined,
  });
  runner.on("pass", (test) => add(test, "passed"));
  runner.on("fail", (test, err) => add(test, test.type === "hook" ? "error" : "failed", err));
  runner.on("pending", (test) => add(test, "skipped"));
  runner.once("end", () => fs.writeFileSync(${JSON.stringify(REPORT)}, JSON.stringify(results)));
};
`;

const reportSchema = z.array(
  z.object({
    file: z.string().nullable(),
    titles: z.array(z.string()),
    outcome: z.enum(["passed", "failed", "error", "skipped"]),
    durationMs: z.number().nullish(),
    message: z.string().nullish(),
  }),
);

export function mochaRunner(): TestRunner {
  return {
    framework: "mocha",
    plan(selection) {
      const pattern = selection === null ? null : namePattern(selection);
      const args = [
        jsBin("mocha"),
        `--reporter ${REPORTER}`,
        ...(pattern === null ? [] : [`--grep ${shellQuote(pattern)}`]),
        ...(selection === null ? [] : filesOf(selection).map(shellQuote)),
      ];
      return {
        command: `mkdir -p ${REPORT_DIR} && ${args.join(" ")}`,
        files: [{ path: REPORTER, content: REPORTER_SOURCE }],
        collect: [REPORT],
      };
    },
    parse(run: RunResult) {
      const text = run.collected[REPORT];
      if (text === undefined) return [];
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return [];
      }
      const report = reportSchema.safeParse(json);
      if (!report.success) return [];
      return report.data.map((test) => {
        const file = test.file === null ? null : relativeToWorkspace(test.file);
        const message = clip(test.message ?? undefined);
        return {
          id: jsTestId(file ?? "(unknown file)", test.titles),
          file,
          outcome: test.outcome,
          ...(test.durationMs == null ? {} : { durationMs: Math.round(test.durationMs) }),
          ...(message ? { message } : {}),
        };
      });
    },
  };
}
