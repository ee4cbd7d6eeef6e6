import type { Environment } from "../config/environment.ts";
import { createLedger, createLlm } from "../llm/create-llm.ts";
import { loadPriceTable } from "../llm/prices.ts";
import { loadLlmSettings } from "../llm/settings.ts";
import { runFix } from "../pipeline/run-fix.ts";
import { DockerSandbox } from "../sandbox/docker-sandbox.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import { sandboxSettings } from "../sandbox/settings.ts";
import { resolveCacheRoot } from "../workspace/cache-dir.ts";
import { GitWorkspace } from "../workspace/git-workspace.ts";
import { maxSnapshotsFromEnv, SnapshotCache } from "../workspace/snapshot-cache.ts";
import { fixPipeline } from "./fix-pipeline.ts";
import { trustedIssueText } from "./issue-thread.ts";
import type { RunPipeline } from "./pipeline.ts";

/**
 * The real pipeline with its parts from the operator's environment. Nothing is checked at start-up
 * that a job can report instead: a missing model endpoint or an unreachable Docker engine fails
 * the job with a comment saying so, and the App keeps serving.
 */
export function fixPipelineFromEnv(environment: Environment): RunPipeline {
  const cacheRoot = resolveCacheRoot(undefined, environment.values);
  let sandbox: Promise<Sandbox> | undefined;
  return fixPipeline({
    runFix,
    workspace: new GitWorkspace({ cacheRoot }),
    issueText: trustedIssueText,
    sandbox: () => {
      sandbox ??= DockerSandbox.connect({ settings: sandboxSettings(environment) }).catch(
        (error: unknown) => {
          sandbox = undefined; // try again on the next job
          throw error;
        },
      );
      return sandbox;
    },
    model: (config) => {
      const settings = loadLlmSettings(environment);
      const ledger = createLedger(config.limits, loadPriceTable(settings.pricesPath));
      return { llm: createLlm({ settings, config, ledger }), ledger };
    },
    cacheRoot,
    snapshots: new SnapshotCache({ cacheRoot, maxSnapshots: maxSnapshotsFromEnv(environment) }),
  });
}
