import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ScriptedModel, startScriptedModel } from "../../src/scripted-model/server.ts";

const NODE = path.resolve("node_modules/.bin/node");
const CLI = path.resolve("bin/autofix.js");

/** A throwaway git repository holding a copy of a fixture tree, committed. */
export function gitRepoFrom(fixtureDir: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "autofix-fix-repo-"));
  cpSync(fixtureDir, dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=test", ...args], { cwd: dir });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "fixture");
  return dir;
}

export type CliRun = { code: number; stdout: string; stderr: string };

/** `autofix fix …` as a child process, talking to the SCRIPTED model (no real model is reachable here). */
export function autofixAgainst(model: ScriptedModel, args: string[], cacheDir: string): Promise<CliRun> {
  const env = {
    ...process.env,
    AUTOFIX_LLM_BASE_URL: model.url,
    AUTOFIX_LLM_API_KEY: "scripted",
    AUTOFIX_LLM_MODEL: "scripted-model",
    AUTOFIX_CACHE_DIR: cacheDir,
  };
  return new Promise((resolve) => {
    execFile(NODE, [CLI, ...args], { env, maxBuffer: 64 * 1024 ** 2 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function withScriptedModel<T>(
  scriptPath: string,
  body: (model: ScriptedModel) => Promise<T>,
): Promise<T> {
  const model = await startScriptedModel({ scriptPath });
  try {
    return await body(model);
  } finally {
    await model.close();
  }
}
