import type Docker from "dockerode";

/**
 * What the engine's per-container quota (`HostConfig.StorageOpt.size`) bounds on its storage
 * driver: the whole root file system, image included (btrfs: a qgroup limit on the container's
 * snapshot), only what the container writes (overlay2 over xfs mounted with project quotas), or
 * nothing (overlay2 over ext4 and the rest: the engine refuses the option, the disk watch is all).
 */
export type EngineQuota = "rootfs" | "writes" | "none";

/**
 * On btrfs the quota counts the image's snapshot as well as the writes, and books metadata besides
 * file sizes: given the image's size plus the limit, writes stop a little before the limit (measured:
 * 15 MiB before it, for a 274 MB image) and never after it. The disk watch alone (engines without a
 * quota) stops a container only soon after it passes the limit.
 */
const quotas = new WeakMap<Docker, Promise<EngineQuota>>();

/** The engine's kind of quota, asked once per engine connection. */
export function engineQuota(docker: Docker): Promise<EngineQuota> {
  let known = quotas.get(docker);
  if (known === undefined) {
    known = docker.info().then(quotaOf, () => "none" as const);
    quotas.set(docker, known);
  }
  return known;
}

/** After the engine refused the option (an xfs mounted without project quotas, say). */
export function forgetEngineQuota(docker: Docker): void {
  quotas.set(docker, Promise.resolve("none"));
}

function quotaOf(info: { Driver?: unknown; DriverStatus?: unknown }): EngineQuota {
  if (info.Driver === "btrfs") return "rootfs";
  const status = Array.isArray(info.DriverStatus) ? (info.DriverStatus as unknown[]) : [];
  const backing = status.find(
    (entry): entry is [string, string] => Array.isArray(entry) && entry[0] === "Backing Filesystem",
  );
  return info.Driver === "overlay2" && backing?.[1] === "xfs" ? "writes" : "none";
}

/** The `StorageOpt` for a container of an image of `imageBytes` held to `diskBytes` of writes. */
export function storageOptions(
  quota: EngineQuota,
  imageBytes: number,
  diskBytes: number,
): { size: string } | undefined {
  if (quota === "none" || !Number.isSafeInteger(diskBytes)) return undefined;
  return { size: String((quota === "rootfs" ? imageBytes : 0) + diskBytes) };
}

/** The engine's answer when it cannot apply `StorageOpt` on its driver or file system. */
export function isStorageOptRefusal(error: unknown): boolean {
  return error instanceof Error && /storage-?opt|storage ?option|pquota|quota/i.test(error.message);
}

/** What a program prints when a write fails on the quota (EDQUOT's text, glibc and musl alike). */
export function mentionsQuotaStop(output: string): boolean {
  return /Disk quota exceeded/i.test(output);
}
