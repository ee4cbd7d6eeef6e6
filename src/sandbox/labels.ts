import { hostname } from "node:os";

/** Every autofix container carries `autofix=1` plus who started it and when it must be gone by. */
export const SANDBOX_LABEL = "autofix";

/** Past its deadline by this much, a container is an orphan whoever owns it. */
const DEADLINE_GRACE_MS = 5 * 60_000;

export function ownerLabels(runId: string, deadlineMs: number): Record<string, string> {
  return {
    [SANDBOX_LABEL]: "1",
    [`${SANDBOX_LABEL}.run`]: runId,
    [`${SANDBOX_LABEL}.host`]: hostname(),
    [`${SANDBOX_LABEL}.pid`]: String(process.pid),
    [`${SANDBOX_LABEL}.deadline`]: String(deadlineMs),
  };
}

/**
 * A container is an orphan when the process that started it (on this host) is gone, or when it
 * outlived its deadline. Containers of live processes, e.g. a parallel test worker, are left alone.
 */
export function isOrphan(labels: Record<string, string> | undefined, nowMs: number): boolean {
  const deadline = Number(labels?.[`${SANDBOX_LABEL}.deadline`]);
  if (Number.isFinite(deadline) && nowMs > deadline + DEADLINE_GRACE_MS) return true;
  const pid = Number(labels?.[`${SANDBOX_LABEL}.pid`]);
  if (labels?.[`${SANDBOX_LABEL}.host`] !== hostname() || !Number.isInteger(pid)) return false;
  return !processAlive(pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
