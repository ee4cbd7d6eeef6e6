import { spawnSync } from "node:child_process";
import path from "node:path";

const CLI = path.resolve("bin/autofix.js");

/** No model and no Docker engine answer: what the CLI does must not depend on reaching either. */
export const OFFLINE_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  AUTOFIX_LLM_BASE_URL: "http://127.0.0.1:9",
  AUTOFIX_LLM_API_KEY: "none",
  AUTOFIX_LLM_MODEL: "none",
  DOCKER_HOST: "tcp://127.0.0.1:9",
};

/** `autofix …` as a child process with no model and no engine: real exit code and output. */
export function offlineAutofix(args: string[], cwd?: string) {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    env: OFFLINE_ENV,
    timeout: 120_000,
    ...(cwd === undefined ? {} : { cwd }),
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
