import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import Docker from "dockerode";
import { SANDBOX_LABEL } from "../../src/sandbox/labels.ts";

const CLI = path.resolve("bin/autofix.js");

export type Running = {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exited: Promise<number | null>;
};

/** `autofix …` as a child process we can signal; its containers carry its pid (labels.ts). */
export function startAutofix(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // "close": the process has exited and its output has been read to the end.
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Containers (running or not) that the process with this pid started. */
export async function containersOf(
  pid: number | undefined,
  which: "all" | "running" = "all",
): Promise<string[]> {
  const containers = await new Docker().listContainers({
    all: which === "all",
    filters: { label: [`${SANDBOX_LABEL}=1`, `${SANDBOX_LABEL}.pid=${String(pid)}`] },
  });
  return containers.map((info) => info.Id);
}

/** Polls `check` until it holds; false once `withinMs` has passed without it. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  withinMs: number,
): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A scripted-model script: localization of py-median's bug, then the given replies per stage. */
export function writeScript(file: string, replies: Record<string, string>): string {
  const base: Record<string, string> = {
    "localize.files": 'reply: { content: "```\\ntextstats/stats.py\\n```" }',
    "localize.elements": 'reply: { content: "```\\ntextstats/stats.py::median\\n```" }',
    "localize.lines": 'reply: { content: "```\\ntextstats/stats.py:12-17\\n```" }',
  };
  const rules = Object.entries({ ...base, ...replies }).map(
    ([stage, reply]) => `  - when: { stage: ${JSON.stringify(stage)} }\n    ${reply}\n`,
  );
  writeFileSync(file, `rules:\n${rules.join("")}fallback:\n  content: "no"\n`);
  return file;
}

/** A pytest module as a scripted reply (a fenced block, as a model writes it). */
export function pythonReply(code: string): string {
  return `reply: { content: ${JSON.stringify(`\`\`\`python\n${code}\`\`\``)} }`;
}
