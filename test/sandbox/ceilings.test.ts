import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import {
  capLimits,
  ceilingWarnings,
  clampLimits,
  DEFAULT_CEILINGS,
  describeClamp,
  hostCpus,
} from "../../src/sandbox/ceilings.ts";
import { SandboxInputError } from "../../src/sandbox/errors.ts";
import {
  assertAllowedImage,
  ImageNotAllowedError,
  isImageName,
  type SetupImageInfo,
  setupImagesToEvict,
} from "../../src/sandbox/images.ts";
import { DEFAULT_LIMITS } from "../../src/sandbox/sandbox.ts";
import { settingsFromEnv } from "../../src/sandbox/settings.ts";

const GREEDY = {
  memory: "99999g",
  cpus: 64,
  pids: 65_536,
  disk: "500g",
  testTimeoutSeconds: 3_600,
  setupTimeoutSeconds: 7_200,
};

describe("operator ceilings (issue #12, finding 5)", () => {
  it("lowers what a repository asks above the maxima, and says what it lowered", () => {
    const sandbox = configSchema.parse({ sandbox: GREEDY }).sandbox;
    const { limits, setupLimits, clamped } = clampLimits(sandbox, DEFAULT_CEILINGS);
    expect(limits.memoryBytes).toBe(DEFAULT_CEILINGS.memoryBytes);
    expect(limits.pids).toBe(DEFAULT_CEILINGS.pids);
    expect(limits.cpus).toBe(Math.min(DEFAULT_CEILINGS.cpus, hostCpus()));
    expect(limits.diskBytes).toBe(DEFAULT_CEILINGS.diskBytes);
    expect(limits.timeoutMs).toBe(DEFAULT_CEILINGS.testTimeoutMs);
    expect(setupLimits.timeoutMs).toBe(DEFAULT_CEILINGS.setupTimeoutMs);
    expect(clamped.map((notice) => notice.key).sort()).toEqual(
      [
        "sandbox.cpus",
        "sandbox.disk",
        "sandbox.memory",
        "sandbox.pids",
        "sandbox.setupTimeoutSeconds",
        "sandbox.testTimeoutSeconds",
      ].sort(),
    );
    const memory = clamped.find((notice) => notice.key === "sandbox.memory");
    expect(memory && describeClamp(memory)).toBe(
      "sandbox.memory: asked 99999g, the operator allows at most 4g",
    );
  });

  it("leaves the defaults alone, and never raises a value", () => {
    const defaults = configSchema.parse({}).sandbox;
    const { limits, clamped } = clampLimits(defaults, DEFAULT_CEILINGS);
    expect(clamped).toEqual([]);
    expect(limits.memoryBytes).toBe(DEFAULT_LIMITS.memoryBytes);
    const small = capLimits({ ...DEFAULT_LIMITS, pids: 32, timeoutMs: 5_000 }, DEFAULT_CEILINGS, false);
    expect(small.pids).toBe(32);
    expect(small.timeoutMs).toBe(5_000);
    const setup = capLimits({ ...DEFAULT_LIMITS, timeoutMs: 10_000_000 }, DEFAULT_CEILINGS, true);
    expect(setup.timeoutMs).toBe(DEFAULT_CEILINGS.setupTimeoutMs);
  });

  it("reads the operator's maxima from the environment, and refuses malformed ones", () => {
    const settings = settingsFromEnv({
      AUTOFIX_SANDBOX_MAX_MEMORY: "8g",
      AUTOFIX_SANDBOX_MAX_CPUS: "1.5",
      AUTOFIX_SANDBOX_MAX_PIDS: "512",
      AUTOFIX_SANDBOX_MAX_DISK: "64m",
      AUTOFIX_SANDBOX_MAX_TEST_TIMEOUT_SECONDS: "120",
      AUTOFIX_SANDBOX_MAX_SETUP_TIMEOUT_SECONDS: "600",
      AUTOFIX_SANDBOX_SETUP_IMAGES_MAX: "5",
      AUTOFIX_SANDBOX_SETUP_IMAGES_MAX_BYTES: "10g",
    });
    expect(settings.ceilings).toEqual({
      memoryBytes: 8 * 1024 ** 3,
      cpus: 1.5,
      pids: 512,
      diskBytes: 64 * 1024 ** 2,
      testTimeoutMs: 120_000,
      setupTimeoutMs: 600_000,
    });
    expect(settings.setupCache).toEqual({ maxImages: 5, maxBytes: 10 * 1024 ** 3 });
    expect(settingsFromEnv({}).ceilings).toEqual(DEFAULT_CEILINGS);
    for (const bad of [
      { AUTOFIX_SANDBOX_MAX_MEMORY: "lots" },
      { AUTOFIX_SANDBOX_MAX_CPUS: "-1" },
      { AUTOFIX_SANDBOX_MAX_PIDS: "4" },
      { AUTOFIX_SANDBOX_SETUP_IMAGES_MAX: "0" },
    ]) {
      expect(() => settingsFromEnv(bad), JSON.stringify(bad)).toThrow(SandboxInputError);
    }
  });

  it("has `autofix config check` warn about values above the default maxima", () => {
    const warnings = ceilingWarnings(configSchema.parse({ sandbox: { memory: "64g", pids: 512 } }).sandbox);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: sandbox\.memory: 64g is above the default operator maximum/);
    expect(ceilingWarnings(configSchema.parse({}).sandbox)).toEqual([]);
  });
});

describe("allowed images (issue #12, finding 3)", () => {
  const allowed = ["autofix/node:24", "autofix/python:3"];

  it("takes exact names from the operator's list only", () => {
    expect(() => assertAllowedImage("autofix/python:3", allowed)).not.toThrow();
    for (const image of [
      "autofix/python",
      "autofix/python:3.12",
      "autofix-setup/victim:0123456789abcdef0123",
      "e225eb0af30f",
      "sha256:e225eb0af30f",
      "ubuntu:latest",
    ]) {
      expect(() => assertAllowedImage(image, allowed), image).toThrow(ImageNotAllowedError);
    }
  });

  it("lets the operator allow a name prefix, never over setup images or IDs", () => {
    const bench = ["autofix-bench/*", "autofix-setup/*"];
    expect(() => assertAllowedImage("autofix-bench/flask:0123abcd", bench)).not.toThrow();
    expect(() => assertAllowedImage("autofix-setup/victim:0123abcd", bench)).toThrow(ImageNotAllowedError);
    expect(() => assertAllowedImage("autofix-benchmark:1", bench)).toThrow(ImageNotAllowedError);
  });

  it("refuses an operator list with an image ID or a setup image", () => {
    expect(isImageName("e225eb0af30fdeadbeef")).toBe(false);
    expect(isImageName("autofix-setup/x:1")).toBe(false);
    expect(settingsFromEnv({ AUTOFIX_SANDBOX_IMAGES: "autofix/node:24, my/img:2" }).images).toEqual([
      "autofix/node:24",
      "my/img:2",
    ]);
    expect(() => settingsFromEnv({ AUTOFIX_SANDBOX_IMAGES: "autofix-setup/victim:1" })).toThrow(
      SandboxInputError,
    );
    expect(() => settingsFromEnv({ AUTOFIX_SANDBOX_IMAGES: "" })).toThrow(SandboxInputError);
  });

  it("refuses an image ID in the repository's config", () => {
    expect(configSchema.safeParse({ sandbox: { image: "autofix/python:3" } }).success).toBe(true);
    expect(configSchema.safeParse({ sandbox: { image: "sha256:abc" } }).success).toBe(false);
    expect(configSchema.safeParse({ sandbox: { image: "x@sha256:abc" } }).success).toBe(false);
  });
});

describe("setup image eviction (issue #12, finding 4)", () => {
  const image = (id: string, lastUsedMs: number, bytes = 100): SetupImageInfo => ({
    id,
    tags: [`autofix-setup/r:${id}`],
    bytes,
    lastUsedMs,
  });
  const now = 1_000_000;

  it("removes the least recently used past the count and byte caps", () => {
    const images = [image("a", 10), image("b", 30), image("c", 20), image("d", 40)];
    const byCount = setupImagesToEvict(images, { maxImages: 2, maxBytes: 1e9 }, new Set(), now, 0);
    expect(byCount.map((info) => info.id)).toEqual(["c", "a"]);
    const byBytes = setupImagesToEvict(images, { maxImages: 10, maxBytes: 250 }, new Set(), now, 0);
    expect(byBytes.map((info) => info.id)).toEqual(["c", "a"]);
  });

  it("never removes an image in use, nor one used within the grace period", () => {
    const images = [image("a", 10), image("b", now - 5), image("c", 20)];
    const evicted = setupImagesToEvict(images, { maxImages: 1, maxBytes: 1e9 }, new Set(["a"]), now, 100);
    expect(evicted.map((info) => info.id)).toEqual(["c"]);
  });
});
