import { existsSync } from "node:fs";
import { z } from "zod";
import {
  type Environment,
  type EnvironmentVariable,
  problemsWith,
  readEnvironment,
} from "../config/environment.ts";
import { DEFAULT_CEILINGS, type SandboxCeilings } from "./ceilings.ts";
import { SandboxInputError } from "./errors.ts";
import { BUILT_IN_IMAGES, isAllowListEntry } from "./images.ts";
import type { SetupNetwork } from "./sandbox.ts";
import { parseMemory } from "./sandbox.ts";

/**
 * The operator's say over the sandbox, from the environment (a repository's config can only narrow it):
 * - AUTOFIX_SANDBOX_SETUP_NETWORK=none|host|bridge — the network a setup step gets when the repo's
 *   `sandbox.setupNetwork` asks for one (default none: the operator must opt in). Tests never get one.
 * - AUTOFIX_SANDBOX_CA_BUNDLE=/path/ca.crt — mounted read-only into setup containers that have a
 *   network, for egress that re-signs TLS; npm, pip, Python and curl are pointed at it.
 * - AUTOFIX_SANDBOX_IMAGES=a,b — the base images a repository may name in `sandbox.image` (exact names).
 * - AUTOFIX_SANDBOX_MAX_{MEMORY,CPUS,PIDS,DISK,TEST_TIMEOUT_SECONDS,SETUP_TIMEOUT_SECONDS} — maxima.
 * - AUTOFIX_SANDBOX_SETUP_IMAGES_MAX / _MAX_BYTES — how many setup images (and bytes) are kept.
 */
export type SandboxSettings = {
  setupNetwork: SetupNetwork;
  caBundle: string | null;
  /** Base images allowed, by exact name; the built-in ones when absent. */
  images?: readonly string[];
  /** The operator's maxima; DEFAULT_CEILINGS when absent. */
  ceilings?: SandboxCeilings;
  /** Setup images kept, least recently used removed first; SETUP_CACHE_DEFAULTS when absent. */
  setupCache?: SetupCacheCaps;
};

export type SetupCacheCaps = { maxImages: number; maxBytes: number };
export const SETUP_CACHE_DEFAULTS: SetupCacheCaps = { maxImages: 20, maxBytes: 20 * 1024 ** 3 };

/** The list form of AUTOFIX_SANDBOX_IMAGES: exact names, or prefixes ending in `*`. */
const imagesSchema = z
  .array(z.string().refine(isAllowListEntry, "an image name like autofix/node:24, or a prefix ending in *"))
  .min(1);

const SANDBOX_VARIABLES = [
  "AUTOFIX_SANDBOX_SETUP_NETWORK",
  "AUTOFIX_SANDBOX_CA_BUNDLE",
  "AUTOFIX_SANDBOX_IMAGES",
  "AUTOFIX_SANDBOX_MAX_MEMORY",
  "AUTOFIX_SANDBOX_MAX_CPUS",
  "AUTOFIX_SANDBOX_MAX_PIDS",
  "AUTOFIX_SANDBOX_MAX_DISK",
  "AUTOFIX_SANDBOX_MAX_TEST_TIMEOUT_SECONDS",
  "AUTOFIX_SANDBOX_MAX_SETUP_TIMEOUT_SECONDS",
  "AUTOFIX_SANDBOX_SETUP_IMAGES_MAX",
  "AUTOFIX_SANDBOX_SETUP_IMAGES_MAX_BYTES",
] as const satisfies readonly EnvironmentVariable[];

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** The operator's sandbox settings, read from `env` (the process's by default). */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): SandboxSettings {
  return sandboxSettings(readEnvironment(env));
}

/** The sandbox's settings, a view of the environment; a bad value is a SandboxInputError naming it. */
export function sandboxSettings(environment: Environment): SandboxSettings {
  const [problem] = problemsWith(environment, SANDBOX_VARIABLES);
  const e = environment.values;
  const images =
    e.AUTOFIX_SANDBOX_IMAGES === undefined
      ? { success: true as const, data: [...BUILT_IN_IMAGES] }
      : imagesSchema.safeParse(splitList(e.AUTOFIX_SANDBOX_IMAGES));
  const imageIssue = images.success ? undefined : images.error.issues[0];
  if (problem !== undefined || !images.success) {
    const where = problem?.path ?? ["AUTOFIX_SANDBOX_IMAGES", ...(imageIssue?.path ?? [])].join(".");
    throw new SandboxInputError(
      `Bad sandbox setting ${where}: ${problem?.message ?? imageIssue?.message ?? "invalid"}.`,
      "See docs/deploy.md (Security model) for every AUTOFIX_SANDBOX_* setting and its form.",
    );
  }
  const caBundle = e.AUTOFIX_SANDBOX_CA_BUNDLE ?? null;
  if (caBundle !== null && !existsSync(caBundle)) {
    throw new SandboxInputError(
      `AUTOFIX_SANDBOX_CA_BUNDLE names '${caBundle}', which does not exist.`,
      "Point it at a PEM file, e.g. /etc/ssl/certs/ca-certificates.crt, or unset it.",
    );
  }
  const bytes = (text: string | undefined) => (text === undefined ? undefined : parseMemory(text));
  const ceilings: SandboxCeilings = {
    memoryBytes: bytes(e.AUTOFIX_SANDBOX_MAX_MEMORY) ?? DEFAULT_CEILINGS.memoryBytes,
    cpus: e.AUTOFIX_SANDBOX_MAX_CPUS ?? DEFAULT_CEILINGS.cpus,
    pids: e.AUTOFIX_SANDBOX_MAX_PIDS ?? DEFAULT_CEILINGS.pids,
    diskBytes: bytes(e.AUTOFIX_SANDBOX_MAX_DISK) ?? DEFAULT_CEILINGS.diskBytes,
    testTimeoutMs:
      (e.AUTOFIX_SANDBOX_MAX_TEST_TIMEOUT_SECONDS ?? DEFAULT_CEILINGS.testTimeoutMs / 1000) * 1000,
    setupTimeoutMs:
      (e.AUTOFIX_SANDBOX_MAX_SETUP_TIMEOUT_SECONDS ?? DEFAULT_CEILINGS.setupTimeoutMs / 1000) * 1000,
  };
  return {
    setupNetwork: e.AUTOFIX_SANDBOX_SETUP_NETWORK,
    caBundle,
    images: images.data,
    ceilings,
    setupCache: {
      maxImages: e.AUTOFIX_SANDBOX_SETUP_IMAGES_MAX ?? SETUP_CACHE_DEFAULTS.maxImages,
      maxBytes: bytes(e.AUTOFIX_SANDBOX_SETUP_IMAGES_MAX_BYTES) ?? SETUP_CACHE_DEFAULTS.maxBytes,
    },
  };
}

/** The network a setup step really gets: only what both the repo asks and the operator allows. */
export function effectiveSetupNetwork(repoAsks: boolean, settings: SandboxSettings): SetupNetwork {
  return repoAsks ? settings.setupNetwork : "none";
}

/**
 * Where the CA bundle appears inside a setup container, and the variables that point tools at it.
 * They are exported by the setup command itself, not set on the container: `docker commit` would
 * otherwise carry them into the prepared image, where the bundle is no longer mounted.
 */
export const CA_PATH_IN_CONTAINER = "/run/autofix-ca.crt";
export const CA_ENV: Record<string, string> = {
  NODE_EXTRA_CA_CERTS: CA_PATH_IN_CONTAINER,
  NPM_CONFIG_CAFILE: CA_PATH_IN_CONTAINER,
  SSL_CERT_FILE: CA_PATH_IN_CONTAINER,
  REQUESTS_CA_BUNDLE: CA_PATH_IN_CONTAINER,
  PIP_CERT: CA_PATH_IN_CONTAINER,
  CURL_CA_BUNDLE: CA_PATH_IN_CONTAINER,
};

/** `export NODE_EXTRA_CA_CERTS=…; …; ` to put before a setup command. */
export function caExports(): string {
  return Object.entries(CA_ENV)
    .map(([key, value]) => `export ${key}=${value}; `)
    .join("");
}
