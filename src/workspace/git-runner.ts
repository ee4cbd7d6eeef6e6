import { spawn } from "node:child_process";
import { type SimpleGit, simpleGit } from "simple-git";
import { WorkspaceError } from "./errors.ts";

/** Runs git with an explicit git dir (and optionally a work tree and env), mapping failures to WorkspaceError. */
export async function runGit(
  gitDir: string,
  args: string[],
  options: { workTree?: string; env?: Record<string, string>; signal?: AbortSignal; discover?: boolean } = {},
): Promise<string> {
  const git = client(gitDir, options.signal);
  const env: Record<string, string> = { ...stringEnv(process.env), ...options.env };
  if (!options.discover) env.GIT_DIR = gitDir;
  if (options.workTree) env.GIT_WORK_TREE = options.workTree;
  try {
    return await git.env(env).raw(args);
  } catch (error) {
    throw new WorkspaceError(
      "workspace.git_failed",
      `git ${args[0]} failed in ${gitDir}: ${firstLine(error)}`,
      {
        hint: "Check that the directory is a readable git repository and that git is installed.",
        context: { gitDir, args },
        cause: error,
      },
    );
  }
}

/** Like runGit, but returns undefined instead of throwing (for probes such as rev-parse --verify). */
export async function tryGit(
  gitDir: string,
  args: string[],
  options: { discover?: boolean } = {},
): Promise<string | undefined> {
  try {
    return await runGit(gitDir, args, options);
  } catch {
    return undefined;
  }
}

function client(baseDir: string, signal: AbortSignal | undefined): SimpleGit {
  return simpleGit({
    baseDir,
    config: ["core.autocrlf=false", "core.quotePath=false"],
    // We point git at a bare mirror and a private index on purpose; nothing here comes from users.
    allowEnvironment: ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"],
    ...(signal ? { abort: signal } : {}),
  });
}

/**
 * The environment git runs with: only what it needs to find itself, its home config and the network.
 * Ambient GIT_* variables, editors and pagers (which simple-git rightly refuses) never leak in.
 */
const PASSED_THROUGH = new Set([
  "PATH",
  "HOME",
  "USER",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TMPDIR",
  "TEMP",
  "TMP",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
]);

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && PASSED_THROUGH.has(key)) out[key] = value;
  }
  return out;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().split("\n")[0] ?? text;
}

/** git with text on stdin (simple-git cannot feed stdin); resolves stdout, rejects on a non-zero exit. */
export function gitWithInput(
  gitDir: string,
  args: string[],
  input: string,
  env: Record<string, string> = {},
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", args, {
      env: { ...stringEnv(process.env), ...env, GIT_DIR: gitDir },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolvePromise(Buffer.concat(out).toString("utf8"));
      else
        reject(
          new WorkspaceError(
            "workspace.git_failed",
            `git ${args[0]} failed in ${gitDir}: ${Buffer.concat(err).toString("utf8").trim()}`,
            {
              context: { gitDir, args },
            },
          ),
        );
    });
    child.stdin.on("error", () => {
      // git may exit before reading all of stdin; its exit code tells what happened
    });
    child.stdin.end(input);
  });
}
