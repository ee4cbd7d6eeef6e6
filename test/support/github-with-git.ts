import { GitHttpServer } from "./git-http/server.ts";
import { GitHubStandIn } from "./github-stand-in/server.ts";

/**
 * GitHub played by the OpenAPI-checked stand-in (GitHub is unreachable here) and real git over HTTP
 * (`git http-backend`) holding one repository, wired together: the stand-in's `clone_url` points at
 * the git server, pull requests get their head from it, and the git server accepts only
 * installation tokens the stand-in issued. `writer` has write permission on the repository.
 */
export type GitHubWithGit = { github: GitHubStandIn; git: GitHttpServer; stop(): Promise<void> };

export async function startGitHubWithGit(options: {
  appId: number;
  privateKey: string;
  repository: string;
  /** Files of the default branch (`main`), committed by a person. */
  files: Record<string, string>;
  writer: string;
}): Promise<GitHubWithGit> {
  const { repository } = options;
  const github = new GitHubStandIn({ appId: options.appId, privateKeyPem: options.privateKey });
  await github.start();
  const git = new GitHttpServer({ authorize: (password) => github.issued(password) });
  try {
    await git.start();
  } catch (error) {
    await github.stop();
    throw error;
  }
  git.createRepository(repository, options.files);
  github.state.repositories.set(repository, { clone_url: git.cloneUrl(repository), default_branch: "main" });
  github.state.branchHead = (repo, name) => {
    try {
      return git.git(repo, "rev-parse", `refs/heads/${name}`).trim();
    } catch {
      return undefined;
    }
  };
  github.state.permissions.set(`${repository}:${options.writer}`, "write");
  return {
    github,
    git,
    async stop() {
      await git.stop();
      await github.stop();
    },
  };
}
