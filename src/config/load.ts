import { isMap, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { describeIssue } from "./describe-issue.ts";
import { type AutofixConfig, configSchema } from "./schema.ts";

export type ConfigProblem = { path: string; message: string; line?: number };
export type ConfigResult = { ok: true; config: AutofixConfig } | { ok: false; problems: ConfigProblem[] };

/** Validate an already-parsed config object (e.g. what Probot's `context.config` returned). */
export function validateConfig(value: unknown): ConfigResult {
  const result = configSchema.safeParse(value ?? {}, { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, problems: result.error.issues.flatMap((issue) => describeIssue(issue)) };
}

/** Parse and validate YAML text; problems carry the line they stand on where it can be found. */
export function parseConfigText(text: string): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        path: YAML_PATH,
        message: `YAML syntax error: ${firstLine(error.message)}`,
        line: error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line,
      })),
    };
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    return {
      ok: false,
      problems: [{ path: "(root)", message: "the config must be a mapping of keys", line: 1 }],
    };
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // The `yaml` package refuses documents whose aliases expand without bound (a "billion laughs").
    return {
      ok: false,
      problems: [
        {
          path: YAML_PATH,
          message: `YAML refused: ${firstLine(String((error as Error).message))} (write the values out instead of nesting aliases)`,
        },
      ],
    };
  }
  const result = validateConfig(value);
  if (result.ok) return result;
  return {
    ok: false,
    problems: result.problems.map((problem) => ({
      ...problem,
      line: lineOf(doc, lineCounter, problem.path),
    })),
  };
}

/** One line per problem: `source:line: key.path: what is wrong`. */
export function formatProblems(problems: ConfigProblem[], source = ".github/autofix.yml"): string[] {
  const lines = [...problems]
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    .map((p) => {
      const where = `${source}${p.line === undefined ? "" : `:${p.line}`}`;
      return p.path === YAML_PATH ? `${where}: ${p.message}` : `${where}: ${p.path}: ${p.message}`;
    });
  return [...new Set(lines)];
}

const YAML_PATH = "(yaml)";

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: string,
): number | undefined {
  const segments = path.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  for (let depth = segments.length; depth > 0; depth--) {
    const node: unknown = doc.getIn(segments.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return lineCounter.linePos(keyOffset(doc, segments.slice(0, depth)) ?? range[0]).line;
  }
  return undefined;
}

/** Offset of the key itself (so an unknown key points at its own line, not its value's). */
function keyOffset(doc: ReturnType<typeof parseDocument>, segments: (string | number)[]): number | undefined {
  const parent: unknown = segments.length === 1 ? doc.contents : doc.getIn(segments.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const last = segments[segments.length - 1];
  const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === last);
  return (pair?.key as { range?: [number, number, number] } | null)?.range?.[0];
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

export type ZodIssue = z.core.$ZodIssue;
