import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { WorkspaceError } from "./errors.ts";

const run = promisify(execFile);

/**
 * An installation token handed to git the way GitHub Apps should: as an HTTP `Authorization` header
 * set through the environment (`GIT_CONFIG_COUNT`). It never appears on a command line (`ps`), in a
 * remote URL, in `.git/config` or in FETCH_HEAD.
 */
export function tokenHeaderEnv(token: string): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.extraHeader",
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

/** Replace the token, raw or base64-encoded in a header, in text bound for a log or an error. */
export function scrubToken(text: string, token: string): string {
  if (token === "") return text;
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return text.replaceAll(token, "***").replaceAll(basic, "***");
}

/**
 * `git <args>` in `gitDir` with the token header, outside simple-git (whose environment guard rightly
 * refuses GIT_CONFIG_* from callers). Errors carry git's message with the token scrubbed.
 */
export async function gitWithToken(
  gitDir: string,
  args: string[],
  token: string,
  signal?: AbortSignal,
): Promise<string> {
  const env: Record<string, string> = { GIT_DIR: gitDir, GIT_CONFIG_NOSYSTEM: "1", ...tokenHeaderEnv(token) };
  for (const name of ["PATH", "HOME", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "NO_PROXY"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  try {
    const { stdout } = await run("git", args, {
      env,
      maxBuffer: 16 * 1024 * 1024,
      ...(signal ? { signal } : {}),
    });
    return stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    const message = scrubToken(
      stderr.trim() || (error instanceof Error ? error.message : String(error)),
      token,
    );
    throw new WorkspaceError("workspace.git_failed", `git ${args[0]} failed in ${gitDir}: ${message}`, {
      hint: "Check that the App can read this repository and that its clone_url is reachable.",
      context: { gitDir, command: args[0] },
      cause: new Error(message),
    });
  }
}
