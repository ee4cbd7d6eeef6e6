import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import {
  engineQuota,
  forgetEngineQuota,
  isStorageOptRefusal,
  mentionsQuotaStop,
  storageOptions,
} from "../../src/sandbox/disk-quota.ts";

const MB = 1024 ** 2;

/** Only `info`, which is all engineQuota asks; counts the calls. */
function engineAnswering(info: object): { docker: Docker; calls: () => number } {
  let calls = 0;
  const docker = {
    info: async () => {
      calls += 1;
      return info;
    },
  } as unknown as Docker;
  return { docker, calls: () => calls };
}

describe("the engine's disk quota", () => {
  it("is the root file system's on btrfs, the writes' on overlay2 over xfs, none over ext4; asked once", async () => {
    const btrfs = engineAnswering({ Driver: "btrfs" });
    expect(await engineQuota(btrfs.docker)).toBe("rootfs");
    expect(await engineQuota(btrfs.docker)).toBe("rootfs");
    expect(btrfs.calls()).toBe(1);
    const xfs = engineAnswering({ Driver: "overlay2", DriverStatus: [["Backing Filesystem", "xfs"]] });
    expect(await engineQuota(xfs.docker)).toBe("writes");
    const ext4 = engineAnswering({ Driver: "overlay2", DriverStatus: [["Backing Filesystem", "extfs"]] });
    expect(await engineQuota(ext4.docker)).toBe("none");
    forgetEngineQuota(xfs.docker);
    expect(await engineQuota(xfs.docker)).toBe("none");
  });

  it("sizes the quota as the limit, and on btrfs the image's size besides (what the snapshot counts)", () => {
    expect(storageOptions("none", 300 * MB, 64 * MB)).toBeUndefined();
    expect(storageOptions("writes", 300 * MB, 64 * MB)).toEqual({ size: String(64 * MB) });
    expect(storageOptions("rootfs", 300 * MB, 64 * MB)).toEqual({ size: String(364 * MB) });
    expect(storageOptions("rootfs", 300 * MB, Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it("tells the engine's refusal of the option from other errors", () => {
    expect(
      isStorageOptRefusal(
        new Error("--storage-opt is supported only for overlay over xfs with 'pquota' mount option"),
      ),
    ).toBe(true);
    expect(isStorageOptRefusal(new Error("No such image: autofix/python:3"))).toBe(false);
    expect(mentionsQuotaStop("head: error writing 'standard output': Disk quota exceeded")).toBe(true);
    expect(mentionsQuotaStop("OSError: [Errno 28] No space left on device")).toBe(false);
  });
});
