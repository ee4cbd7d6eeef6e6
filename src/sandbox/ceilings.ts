import { availableParallelism } from "node:os";
import type { SandboxLimits } from "./sandbox.ts";
import { DEFAULT_LIMITS, parseMemory } from "./sandbox.ts";

/**
 * The operator's maxima (env settings, see settings.ts): a repository's `.github/autofix.yml` may ask
 * for less, never for more. What it asks above them is clamped, with a notice for the report.
 */
export type SandboxCeilings = {
  memoryBytes: number;
  cpus: number;
  pids: number;
  testTimeoutMs: number;
  setupTimeoutMs: number;
  diskBytes: number;
};

/** The maxima when the operator sets none; `cpus` is further capped by the host's CPUs. */
export const DEFAULT_CEILINGS: SandboxCeilings = {
  memoryBytes: 4 * 1024 ** 3,
  cpus: 2,
  pids: 1_024,
  testTimeoutMs: 900_000,
  setupTimeoutMs: 1_800_000,
  diskBytes: 4 * 1024 ** 3,
};

/** One value the repository asked for above the operator's maximum, and what it got instead. */
export type ClampNotice = { key: string; asked: string; granted: string };

/** The repo config's `sandbox` section, as far as limits go. */
export type SandboxLimitsConfig = {
  memory: string;
  cpus: number;
  pids: number;
  disk: string;
  testTimeoutSeconds: number;
  setupTimeoutSeconds: number;
};

export type ClampedLimits = {
  /** Limits of one test run. */
  limits: SandboxLimits;
  /** Limits of the setup command (`limits` with the setup timeout). */
  setupLimits: SandboxLimits;
  /** What was lowered to the operator's maxima; empty when the repository stayed within them. */
  clamped: ClampNotice[];
};

/** The host's CPUs: Docker refuses a `NanoCpus` above them ("Range of CPUs is from 0.01 to N"). */
export function hostCpus(): number {
  return availableParallelism();
}

/** The repository's limits, each lowered to the operator's maximum (and cpus to the host's CPUs). */
export function clampLimits(config: SandboxLimitsConfig, ceilings: SandboxCeilings): ClampedLimits {
  const clamped: ClampNotice[] = [];
  const pick = (key: string, asked: number, max: number, show: (value: number) => string): number => {
    if (asked <= max) return asked;
    clamped.push({ key: `sandbox.${key}`, asked: show(asked), granted: show(max) });
    return max;
  };
  const seconds = (ms: number) => `${ms / 1000}s`;
  const limits: SandboxLimits = {
    ...DEFAULT_LIMITS,
    memoryBytes: pick("memory", parseMemory(config.memory), ceilings.memoryBytes, formatBytes),
    cpus: pick("cpus", config.cpus, Math.min(ceilings.cpus, hostCpus()), String),
    pids: pick("pids", config.pids, ceilings.pids, String),
    diskBytes: pick("disk", parseMemory(config.disk), ceilings.diskBytes, formatBytes),
    timeoutMs: pick("testTimeoutSeconds", config.testTimeoutSeconds * 1000, ceilings.testTimeoutMs, seconds),
  };
  const setupTimeoutMs = pick(
    "setupTimeoutSeconds",
    config.setupTimeoutSeconds * 1000,
    ceilings.setupTimeoutMs,
    seconds,
  );
  return { limits, setupLimits: { ...limits, timeoutMs: setupTimeoutMs }, clamped };
}

/** Limits of any origin (CLI flags, a caller's overrides) lowered to the ceilings, silently. */
export function capLimits(limits: SandboxLimits, ceilings: SandboxCeilings, setup: boolean): SandboxLimits {
  const timeoutMax = setup ? ceilings.setupTimeoutMs : ceilings.testTimeoutMs;
  return {
    ...limits,
    memoryBytes: Math.min(limits.memoryBytes, ceilings.memoryBytes),
    cpus: Math.min(limits.cpus, ceilings.cpus, hostCpus()),
    pids: Math.min(limits.pids, ceilings.pids),
    diskBytes: Math.min(limits.diskBytes ?? ceilings.diskBytes, ceilings.diskBytes),
    timeoutMs: Math.min(limits.timeoutMs, timeoutMax),
  };
}

/** Lines for `autofix config check`: values the default maxima would clamp (an operator may allow more). */
export function ceilingWarnings(config: SandboxLimitsConfig): string[] {
  return clampLimits(config, DEFAULT_CEILINGS).clamped.map(
    (notice) =>
      `warning: ${notice.key}: ${notice.asked} is above the default operator maximum; it runs with ${notice.granted} unless the operator raises it (docs/deploy.md, Security model)`,
  );
}

/** A notice as one line of a report. */
export function describeClamp(notice: ClampNotice): string {
  return `${notice.key}: asked ${notice.asked}, the operator allows at most ${notice.granted}`;
}

export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ["g", 1024 ** 3],
    ["m", 1024 ** 2],
    ["k", 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)}m` : `${bytes}`;
}
