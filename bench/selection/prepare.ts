import { rmSync } from "node:fs";
import type { PreparedImage, Sandbox } from "../../src/sandbox/sandbox.ts";
import { exportTree } from "./checkout.ts";
import type { BugInstance } from "./dataset.ts";

export const BASE_IMAGE = "autofix/node:24";

/**
 * The repository's own npm dependencies at the base commit, installed once per bug (setup network
 * from the operator's AUTOFIX_SANDBOX_SETUP_NETWORK). The repository's own mocha (1.x–2.x in these
 * bugs) is removed from node_modules/.bin: it predates `titlePath()`, which the sandbox's mocha
 * reporter needs, so the image's mocha runs the tests (set up by harness.ts, a layer on top).
 */
export const SETUP =
  "npm install --no-audit --no-fund --ignore-scripts --no-package-lock --loglevel=error && rm -f node_modules/.bin/mocha node_modules/.bin/_mocha";

/** The setup, with the named dependencies' install scripts run (when installed). */
export function setupCommand(rebuild: readonly string[]): string {
  const steps = rebuild.map(
    (name) => `if [ -d node_modules/${name} ]; then npm rebuild --loglevel=error ${name}; fi`,
  );
  return [SETUP, ...steps].join(" && ");
}

export function bugRepoKey(instance: BugInstance): string {
  return `bench/${instance.instance_id.toLowerCase().replace(/_+/g, "-")}`;
}

export async function prepareBugImage(
  sandbox: Sandbox,
  instance: BugInstance,
  gitDir: string,
  rebuild: readonly string[],
): Promise<PreparedImage> {
  const workspaceDir = exportTree(gitDir, instance.base_commit, instance.instance_id);
  try {
    return await sandbox.prepare({
      repoKey: bugRepoKey(instance),
      commit: instance.base_commit,
      image: BASE_IMAGE,
      setup: setupCommand(rebuild),
      workspaceDir,
      network: true,
      limits: { timeoutMs: 300_000 },
    });
  } finally {
    rmSync(workspaceDir, { recursive: true, force: true });
  }
}
