import type Docker from "dockerode";

/** Polls at least this far apart, and at least 4× as far apart as the engine takes to answer. */
const MIN_INTERVAL_MS = 100;
const COST_FACTOR = 4;
/** `?size=1`: the engine then adds `SizeRw` (dockerode passes it on; its types do not know it). */
const SIZE_QUERY: Docker.ContainerInspectOptions & { size: boolean } = { size: true };

/**
 * Watch what a running container has written to its writable layer (the engine's `SizeRw`, which
 * lands on the host's Docker storage) and call `onExceeded` once it passes `limitBytes`.
 *
 * Why a watch: on overlay2 over ext4 the engine has no per-container size limit (`--storage-opt
 * size` needs xfs with project quotas). A file size limit (RLIMIT_FSIZE, set on the container) stops
 * any single file at the limit; this watch stops many files together, within one poll interval.
 */
export function watchDisk(
  container: Docker.Container,
  limitBytes: number,
  onExceeded: () => void,
): { stop: () => void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    const started = performance.now();
    const info = (await container.inspect(SIZE_QUERY).catch(() => null)) as { SizeRw?: number } | null;
    if (stopped) return;
    if (typeof info?.SizeRw === "number" && info.SizeRw > limitBytes) {
      stopped = true;
      onExceeded();
      return;
    }
    const cost = performance.now() - started;
    timer = setTimeout(() => void poll(), Math.max(MIN_INTERVAL_MS, COST_FACTOR * cost));
  };
  timer = setTimeout(() => void poll(), MIN_INTERVAL_MS);
  return {
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
