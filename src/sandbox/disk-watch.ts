import type Docker from "dockerode";

/** Polls at least this far apart, and at least 4× as far apart as the engine takes to answer. */
const SIZE_INTERVAL_MS = 100;
const FILES_INTERVAL_MS = 1_000;
const COST_FACTOR = 4;
/** What one file or folder costs at least on the host's file system (one ext4 block), for counting. */
export const BYTES_PER_ENTRY = 4_096;
/** `?size=1`: the engine then adds `SizeRw` (dockerode passes it on; its types do not know it). */
const SIZE_QUERY: Docker.ContainerInspectOptions & { size: boolean } = { size: true };

/**
 * Watch what a running container has written to its writable layer, which lands on the host's
 * Docker storage, and call `onExceeded` once it passes `limitBytes`: by bytes (the engine's `SizeRw`,
 * every 100 ms) or by entries (the engine's list of changed paths, every second or more, each
 * counted as one 4 KiB block — `SizeRw` sums file sizes, so empty files and folders count nothing).
 *
 * Why a watch: on overlay2 over ext4 the engine has no per-container size limit (`--storage-opt
 * size` needs btrfs, or xfs with project quotas). A file size limit (RLIMIT_FSIZE, set on the
 * container) stops any single file at the limit; this watch stops many files together, within one
 * poll interval. Where the engine has a quota (disk-quota.ts), it is the hard bound behind the watch.
 */
export function watchDisk(
  container: Docker.Container,
  limitBytes: number,
  onExceeded: () => void,
): { stop: () => void } {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const exceed = () => {
    if (stopped) return;
    stopped = true;
    onExceeded();
  };
  const loop = (minIntervalMs: number, measure: () => Promise<number | null>) => {
    const poll = async () => {
      const started = performance.now();
      const bytes = await measure().catch(() => null);
      if (stopped) return;
      if (bytes !== null && bytes > limitBytes) return exceed();
      const wait = Math.max(minIntervalMs, COST_FACTOR * (performance.now() - started));
      schedule(wait);
    };
    const schedule = (ms: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        void poll();
      }, ms);
      timers.add(timer);
    };
    schedule(minIntervalMs);
  };
  loop(SIZE_INTERVAL_MS, () => bytesWritten(container));
  loop(FILES_INTERVAL_MS, () => entriesWrittenAsBytes(container));
  return {
    stop: () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** Whether a stopped container wrote more than `limitBytes`, by either of the watch's measures. */
export async function wroteMoreThan(container: Docker.Container, limitBytes: number): Promise<boolean> {
  for (const measure of [bytesWritten, entriesWrittenAsBytes]) {
    const bytes = await measure(container).catch(() => null);
    if (bytes !== null && bytes > limitBytes) return true;
  }
  return false;
}

async function bytesWritten(container: Docker.Container): Promise<number | null> {
  const info = (await container.inspect(SIZE_QUERY)) as { SizeRw?: number };
  return typeof info.SizeRw === "number" ? info.SizeRw : null;
}

async function entriesWrittenAsBytes(container: Docker.Container): Promise<number | null> {
  const changes: unknown = await container.changes();
  return Array.isArray(changes) ? changes.length * BYTES_PER_ENTRY : null;
}
