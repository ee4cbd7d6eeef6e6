import { z } from "zod";
import { WORKDIR } from "../../sandbox/sandbox.ts";
import { parseJsonAs } from "../../text/parse-json.ts";
import { clip, jsTestId, type TestOutcome, type TestResult } from "../types.ts";

/** The JSON report jest writes with `--json`, which vitest's `json` reporter imitates. */
const assertionSchema = z.object({
  ancestorTitles: z.array(z.string()).default([]),
  title: z.string(),
  status: z.string(),
  duration: z.number().nullish(),
  failureMessages: z.array(z.string()).nullish(),
});
const reportSchema = z.object({
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string().optional(),
      message: z.string().nullish(),
      assertionResults: z.array(assertionSchema).default([]),
    }),
  ),
});

export function parseJestJson(text: string): TestResult[] {
  const report = parseJsonAs(text, reportSchema);
  if (report === null) return [];
  const results: TestResult[] = [];
  for (const file of report.testResults) {
    const path = relativeToWorkspace(file.name);
    if (file.assertionResults.length === 0 && file.status === "failed") {
      // The file failed before any test ran: syntax error, failed import, a throwing top level.
      results.push({ id: path, file: path, outcome: "error", ...message(file.message ?? undefined) });
      continue;
    }
    for (const test of file.assertionResults) {
      results.push({
        id: jsTestId(path, [...test.ancestorTitles, test.title]),
        file: path,
        outcome: outcomeOf(test.status),
        ...(test.duration == null ? {} : { durationMs: Math.round(test.duration) }),
        ...message(test.failureMessages?.join("\n")),
      });
    }
  }
  return results;
}

function outcomeOf(status: string): TestOutcome {
  if (status === "passed") return "passed";
  if (status === "failed") return "failed";
  return "skipped";
}

/** Colour codes: jest < 21 colours its failure messages whatever FORCE_COLOR says. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

function message(text: string | undefined): { message?: string } {
  const clipped = clip(text?.replace(ANSI_COLOUR, ""));
  return clipped === undefined || clipped === "" ? {} : { message: clipped };
}

export function relativeToWorkspace(file: string): string {
  const prefix = `${WORKDIR}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file.replace(/^\.\//, "");
}

/**
 * `^(?:a|b)$` over full test names. Jest, mocha and vitest before 4 join titles with spaces,
 * vitest 4+ with " > ": the pattern accepts either.
 */
export function namePattern(selection: readonly string[]): string | null {
  const names = selection.map((id) => id.split(" > ")).filter((parts) => parts.length > 1);
  if (names.length === 0 || names.length < selection.length) return null;
  const escapeRegex = (title: string) => title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const patterns = new Set(names.map((parts) => parts.slice(1).map(escapeRegex).join("(?: > | )")));
  return `^(?:${[...patterns].join("|")})$`;
}

/** Files named by a selection of ids or paths, de-duplicated. */
export function filesOf(selection: readonly string[]): string[] {
  return [...new Set(selection.map((id) => id.split(" > ")[0] ?? id))];
}
