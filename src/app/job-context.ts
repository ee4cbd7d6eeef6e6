import type { Probot } from "probot";
import { formatProblems, validateConfig } from "../config/load.ts";
import type { AutofixConfig } from "../config/schema.ts";
import { AutofixError } from "../errors.ts";
import type { Forge } from "../forge/forge.ts";
import { octokitForge } from "../forge/octokit-forge.ts";
import type { Job } from "../jobs/job-store.ts";
import { gitBranchPublisher } from "../publish/git-branch.ts";
import type { JobContext } from "../worker/worker.ts";

/**
 * The worker's view of GitHub for one job, from the App's installation: its forge, its repository
 * config (read again at run time: it may have changed since the label), and the publishing edge.
 * The installation token is fetched only when a branch is pushed and handed to git alone.
 */
export function jobContextFactory(probot: Probot, botLogin: () => Promise<string>, gitHost: string) {
  const git = gitBranchPublisher();
  return async (job: Job): Promise<JobContext> => {
    const [owner, repo] = job.repository.split("/");
    if (owner === undefined || repo === undefined) throw new Error(`bad repository name ${job.repository}`);
    const octokit = await probot.auth(job.installationId);
    const login = await botLogin();
    const forge = octokitForge({ octokit, owner, repo, botLogin: login });
    return {
      loadConfig: () => readValidatedConfig(forge),
      edge: {
        forge,
        git,
        author: { name: login, email: `${login}@users.noreply.${gitHost}` },
        token: async () => {
          const auth = (await octokit.auth({ type: "installation" })) as { token?: unknown };
          if (typeof auth.token !== "string") throw new Error("the installation has no token");
          return auth.token;
        },
      },
    };
  };
}

async function readValidatedConfig(forge: Forge): Promise<AutofixConfig> {
  const read = await forge.readConfig();
  const result = read.kind === "read" ? validateConfig(read.value) : undefined;
  if (result === undefined || !result.ok) {
    const problems =
      result === undefined
        ? [read.kind === "unreadable" ? read.message : ""]
        : formatProblems(result.problems);
    throw new AutofixError(
      "config_invalid_at_run",
      `the repository config became invalid: ${problems.join("; ")}`,
      {
        hint: "fix .github/autofix.yml on the default branch, then re-add the trigger label",
      },
    );
  }
  return result.config;
}
