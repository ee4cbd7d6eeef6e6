import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { type Reply, type Rule, replySchema, ruleSchema, type Script, scriptSchema } from "./script.ts";

/** A reply whose contentFile has been read into content. */
export type ResolvedReply = Omit<Reply, "contentFile">;
export type ResolvedRule = Omit<Rule, "reply" | "replies"> & { replies: ResolvedReply[]; label: string };
export interface ResolvedScript {
  rules: ResolvedRule[];
  fallback: ResolvedReply | undefined;
}

export interface ScriptProblem {
  /** Where in the script, e.g. `rules.2.reply.status`, or `(yaml)` for syntax errors. */
  path: string;
  message: string;
  line?: number;
}

export type ScriptResult = { ok: true; script: ResolvedScript } | { ok: false; problems: ScriptProblem[] };

/** Read and validate a YAML or JSON script file; contentFile paths are relative to it. */
export function readScriptFile(path: string): ScriptResult {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    return { ok: false, problems: [{ path: "(file)", message: `cannot read ${path} (${code})` }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        path: "(yaml)",
        message: `syntax error: ${error.message.split("\n")[0]}`,
        line: lineCounter.linePos(error.pos[0]).line,
      })),
    };
  }
  const raw: unknown = doc.toJS();
  const result = parseScript(raw, dirname(resolve(path)));
  if (result.ok) return result;
  return {
    ok: false,
    problems: result.problems.map((problem) => ({ ...problem, line: lineOf(problem.path) })),
  };

  function lineOf(problemPath: string): number | undefined {
    const segments = problemPath.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    if (Array.isArray(raw) && segments[0] === "rules") segments.shift();
    for (let depth = segments.length; depth > 0; depth--) {
      const node = doc.getIn(segments.slice(0, depth), true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  }
}

/** Validate an already-parsed script (a mapping with `rules`, or just the list of rules). */
export function parseScript(raw: unknown, baseDir: string): ScriptResult {
  const input = Array.isArray(raw) ? { rules: raw } : (raw ?? {});
  const parsed = scriptSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap(describeIssue) };
  return resolveFiles(parsed.data, baseDir);
}

function resolveFiles(script: Script, baseDir: string): ScriptResult {
  const problems: ScriptProblem[] = [];
  const resolveReply = (reply: Reply, path: string): ResolvedReply => {
    const { contentFile, ...rest } = reply;
    if (contentFile === undefined) return rest;
    try {
      return { ...rest, content: readFileSync(resolve(baseDir, contentFile), "utf8") };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      problems.push({ path: `${path}.contentFile`, message: `cannot read ${contentFile} (${code})` });
      return rest;
    }
  };
  const rules = script.rules.map((rule, index): ResolvedRule => {
    const { reply, replies, ...rest } = rule;
    const where = `rules.${index}`;
    const list = replies
      ? replies.map((r, k) => resolveReply(r, `${where}.replies.${k}`))
      : reply
        ? [resolveReply(reply, `${where}.reply`)]
        : [];
    return { ...rest, replies: list, label: rule.name ?? `rules[${index}]` };
  });
  const fallback = script.fallback ? resolveReply(script.fallback, "fallback") : undefined;
  return problems.length > 0 ? { ok: false, problems } : { ok: true, script: { rules, fallback } };
}

function describeIssue(issue: z.core.$ZodIssue): ScriptProblem[] {
  const path = issue.path.map(String).join(".") || "(root)";
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeys(issue.path);
    return issue.keys.map((key) => ({
      path: path === "(root)" ? key : `${path}.${key}`,
      message: `unknown key; allowed here: ${allowed.join(", ")}`,
    }));
  }
  const input = "input" in issue ? issue.input : undefined;
  const got = input === undefined || typeof input === "object" ? "" : ` (got ${JSON.stringify(input)})`;
  return [{ path, message: `${issue.message}${got}` }];
}

function allowedKeys(path: readonly PropertyKey[]): string[] {
  const last = path[path.length - 1];
  const before = path[path.length - 2];
  if (path.length === 0) return Object.keys(scriptSchema.shape);
  if (last === "when") return ["stage", "model", "prompt", "system"];
  if (typeof last === "number" && before === "rules") return keysOf(ruleSchema);
  return keysOf(replySchema);
}

function keysOf(schema: unknown): string[] {
  const shape = (schema as { def?: { shape?: Record<string, unknown> } }).def?.shape;
  return Object.keys(shape ?? {});
}
