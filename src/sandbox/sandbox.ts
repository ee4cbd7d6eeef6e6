import type { SandboxCeilings } from "./ceilings.ts";
import { SandboxInputError } from "./errors.ts";

/**
 * The one place repository and model code is executed. Everything that runs here is untrusted:
 * no network while tests run, no writable view of the host checkout, no host environment, bounded
 * memory, CPU, processes, time and output. The real adapter is `DockerSandbox` (docker-sandbox.ts).
 */

/** Resource limits of one container. */
export type SandboxLimits = {
  /** Memory limit in bytes; swap is not allowed on top of it. */
  memoryBytes: number;
  cpus: number;
  /** Processes and threads the container may hold at once. */
  pids: number;
  /** Wall-clock limit from start; the container is killed when it passes. */
  timeoutMs: number;
  /** stdout + stderr bytes kept; the container is killed when it prints more. */
  outputBytes: number;
  /** Bytes the container may write (its writable layer); DEFAULT_LIMITS' when absent. See container.ts. */
  diskBytes?: number;
};

export type SetupNetwork = "none" | "host" | "bridge";

/** A file put into the container before the command starts (a candidate's edit, a reporter...). */
export type SandboxFile = {
  /** Relative paths are inside the workspace (/work); absolute paths are used as they are. */
  path: string;
  content: string | Uint8Array;
  mode?: number;
};

export type PrepareSpec = {
  /** Stable name of the repository (e.g. `owner/name` or a local path's basename). */
  repoKey: string;
  /** The base commit the workspace is at; part of the cache key. */
  commit: string;
  /** Base image, e.g. `autofix/python:3`. */
  image: string;
  /** Run once in the workspace, e.g. `npm ci`; null for none. */
  setup: string | null;
  /** The host checkout, copied in (never mounted). */
  workspaceDir: string;
  /** Network the setup command asks for; the operator's policy may narrow it (see settings.ts). */
  network: boolean;
  limits?: Partial<SandboxLimits>;
};

export type PreparedImage = {
  /** Image to pass to `run`: the base plus the workspace at /work, after setup. */
  image: string;
  /** True when it came from the cache (setup did not run). */
  cached: boolean;
  setup: { ran: boolean; durationMs: number; output: string; network: SetupNetwork };
};

export type RunSpec = {
  image: string;
  /** Host directory copied into /work before the command (not needed for a prepared image). */
  workspaceDir?: string;
  /** Files written over the workspace, e.g. a candidate patch's edited files. */
  files?: SandboxFile[];
  /** argv, or a string run by `/bin/sh -c`. */
  command: string | string[];
  /** Extra environment (nothing from the host is passed otherwise). */
  env?: Record<string, string>;
  limits?: Partial<SandboxLimits>;
  /** Absolute container paths read back after the command ends (e.g. a JUnit report). */
  collect?: string[];
};

export type RunResult = {
  exitCode: number;
  timedOut: boolean;
  oomKilled: boolean;
  /** Killed because it printed more than `outputBytes`. */
  outputCapped: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** stdout/stderr were cut at the output cap. */
  truncated: boolean;
  /** Contents of each `collect` path that existed when the command ended. */
  collected: Record<string, string>;
  /** Killed because it wrote more than `diskBytes` (absent from sandboxes that do not watch disk). */
  diskExceeded?: boolean;
};

export interface Sandbox {
  /** Base image + workspace + setup, committed to an image keyed by repo, commit and setup; cached. */
  prepare(spec: PrepareSpec): Promise<PreparedImage>;
  run(spec: RunSpec): Promise<RunResult>;
  /** Remove containers left by processes that died (and, with `all`, every autofix container). */
  cleanupOrphans(options?: { all?: boolean }): Promise<number>;
  /**
   * The operator's maxima this sandbox lowers every limit to. Pass them to `clampLimits`
   * (ceilings.ts) with the repo config to get the limits and the `clamped` notices for a report.
   */
  readonly ceilings?: SandboxCeilings;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 2 * 1024 ** 3,
  cpus: 1,
  pids: 256,
  timeoutMs: 300_000,
  outputBytes: 2 * 1024 ** 2,
  diskBytes: 2 * 1024 ** 3,
};

/** Where the workspace lives inside every container. */
export const WORKDIR = "/work";

/**
 * Sandbox limits from the repo config's `sandbox` section, as asked. The Docker sandbox lowers them
 * to the operator's maxima whatever the caller passes; `clampLimits` (ceilings.ts) computes the same
 * with the list of what was lowered, for the report.
 */
export function limitsFromConfig(sandbox: {
  memory: string;
  cpus: number;
  pids: number;
  testTimeoutSeconds: number;
  disk?: string;
}): SandboxLimits {
  return {
    ...DEFAULT_LIMITS,
    memoryBytes: parseMemory(sandbox.memory),
    cpus: sandbox.cpus,
    pids: sandbox.pids,
    timeoutMs: sandbox.testTimeoutSeconds * 1000,
    ...(sandbox.disk === undefined ? {} : { diskBytes: parseMemory(sandbox.disk) }),
  };
}

/** `512m`, `2g`, `1.5G`, `100k` or plain bytes → bytes. */
export function parseMemory(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(text.trim());
  if (!match) throw new SandboxInputError(`Not a memory size: '${text}'.`, "Use e.g. 512m or 2g.");
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? "").toLowerCase()] ?? 1;
  return Math.round(Number(match[1]) * unit);
}
