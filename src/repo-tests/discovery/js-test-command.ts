import { makeTargetLines } from "./makefile.ts";
import { shellGlob } from "./shell-glob.ts";
import { shellWordLists } from "./shell-words.ts";

export type JsTool = "mocha" | "jest" | "vitest" | "node-test" | "ava" | "tape" | "karma";

/** A test tool the repository's test script runs, with the words after it. */
export type ToolCall = { tool: JsTool; args: string[]; script: string };

const TOOL_NAMES: Record<string, JsTool> = {
  mocha: "mocha",
  _mocha: "mocha",
  jest: "jest",
  "jest-cli": "jest",
  vitest: "vitest",
  ava: "ava",
  tape: "tape",
  tap: "tape",
  karma: "karma",
};
const RUN_SCRIPT = new Set(["run", "run-script"]);
const MAX_DEPTH = 4;

export type ToolCallSource = {
  makefile?: string | undefined;
  /**
   * The repository's files: sh expands the unquoted globs of a script or recipe line over them
   * before the tool sees its arguments. Without them, the words are taken as written.
   */
  files?: readonly string[];
  entry?: string;
};

/**
 * The test tools `scripts.test` runs, following `npm run x`, `yarn x` and `pnpm x` into the scripts
 * they name, and looking through wrappers (`nyc mocha …`, `istanbul cover _mocha -- …`, `c8 jest`).
 */
export function testToolCalls(
  scripts: Readonly<Record<string, string>>,
  { makefile, files, entry = "test" }: ToolCallSource = {},
): ToolCall[] {
  const commandsOf = (line: string) =>
    shellWordLists(line).map((words) =>
      words.flatMap((word) => (files === undefined ? [word.text] : shellGlob(files, word))),
    );
  const calls: ToolCall[] = [];
  const visit = (name: string, depth: number) => {
    const script = scripts[name];
    if (script === undefined || depth > MAX_DEPTH) return;
    for (const words of commandsOf(script)) {
      const nested = scriptNamed(words, scripts);
      if (nested !== null) {
        if (nested !== name) visit(nested, depth + 1);
        continue;
      }
      if (words[0] === "make" && makefile !== undefined) {
        const target = words.slice(1).find((word) => !word.startsWith("-") && !word.includes("=")) ?? "";
        for (const line of target === "" ? [] : makeTargetLines(makefile, target)) {
          for (const made of commandsOf(line)) {
            const call = toolCall(made, `${script} → Makefile ${target}: ${line}`);
            if (call !== null && !calls.some((known) => sameCall(known, call))) calls.push(call);
          }
        }
        continue;
      }
      const call = toolCall(words, script);
      if (call !== null) calls.push(call);
    }
  };
  visit(entry, 0);
  return calls;
}

/** `npm run x`, `npm test`, `yarn x`, `pnpm run x` → `x`, when the package has that script. */
function scriptNamed(words: readonly string[], scripts: Readonly<Record<string, string>>): string | null {
  const [runner, first, second] = words;
  if (runner !== "npm" && runner !== "yarn" && runner !== "pnpm") return null;
  if (first === undefined) return null;
  if (first === "test" || first === "t") return "test";
  const name = RUN_SCRIPT.has(first) ? second : runner === "npm" ? undefined : first;
  return name !== undefined && name in scripts ? name : null;
}

function toolCall(words: readonly string[], script: string): ToolCall | null {
  for (const [i, word] of words.entries()) {
    const base = word.replace(/^.*\//, "").replace(/\.js$/, "");
    if (base === "node" && words.slice(i + 1).includes("--test")) {
      return { tool: "node-test", args: words.slice(i + 1).filter((w) => w !== "--test"), script };
    }
    const tool = TOOL_NAMES[base];
    if (tool === undefined) continue;
    const rest = words.slice(i + 1);
    return { tool, args: rest[0] === "--" ? rest.slice(1) : rest, script };
  }
  return null;
}

function sameCall(a: ToolCall, b: ToolCall): boolean {
  return a.tool === b.tool && a.args.join("\0") === b.args.join("\0");
}
