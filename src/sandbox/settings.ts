import { existsSync } from "node:fs";
import { z } from "zod";
import { SandboxInputError } from "./errors.ts";
import type { SetupNetwork } from "./sandbox.ts";

/**
 * The operator's say over the sandbox, from the environment (a repository's config can only narrow it):
 * - AUTOFIX_SANDBOX_SETUP_NETWORK=none|host|bridge — the network a setup step gets when the repo's
 *   `sandbox.setupNetwork` asks for one (default none: the operator must opt in). Tests never get one.
 * - AUTOFIX_SANDBOX_CA_BUNDLE=/path/ca.crt — mounted read-only into setup containers that have a
 *   network, for egress that re-signs TLS; npm, pip, Python and curl are pointed at it.
 */
export type SandboxSettings = { setupNetwork: SetupNetwork; caBundle: string | null };

const envSchema = z.object({
  AUTOFIX_SANDBOX_SETUP_NETWORK: z.enum(["none", "host", "bridge"]).default("none"),
  AUTOFIX_SANDBOX_CA_BUNDLE: z
    .string()
    .min(1)
    .optional()
    .transform((value) => value ?? null),
});

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): SandboxSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SandboxInputError(
      `Bad sandbox setting ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}.`,
      "AUTOFIX_SANDBOX_SETUP_NETWORK is one of none, host, bridge.",
    );
  }
  const caBundle = parsed.data.AUTOFIX_SANDBOX_CA_BUNDLE;
  if (caBundle !== null && !existsSync(caBundle)) {
    throw new SandboxInputError(
      `AUTOFIX_SANDBOX_CA_BUNDLE names '${caBundle}', which does not exist.`,
      "Point it at a PEM file, e.g. /etc/ssl/certs/ca-certificates.crt, or unset it.",
    );
  }
  return { setupNetwork: parsed.data.AUTOFIX_SANDBOX_SETUP_NETWORK, caBundle };
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
