import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import type { Environment } from "../../config/environment.ts";
import { formatProblems, parseConfigText } from "../../config/load.ts";
import { readRepoText } from "../../config/repo-file.ts";
import type { AutofixConfig } from "../../config/schema.ts";
import { AutofixError } from "../../errors.ts";
import { createLedger, createLlm } from "../../llm/create-llm.ts";
import type { Llm } from "../../llm/llm.ts";
import { loadLlmSettings } from "../../llm/settings.ts";
import { GitWorkspace } from "../../workspace/git-workspace.ts";
import { parseRepoSource } from "../../workspace/workspace.ts";

/** The config the budgets come from: the given file, else the repository's `.github/autofix.yml`, else defaults. */
export function configFromFileOrRepo(
  file: string | undefined,
  fallback: { root: string; path: string } | undefined,
): AutofixConfig {
  if (file !== undefined && !existsSync(file)) {
    throw new AutofixError("cli.config_missing", `${file}: no such file.`, {
      hint: "Pass an existing .github/autofix.yml.",
    });
  }
  // The repository's own file is read only as a regular file inside it, never through a link.
  const repoText = file === undefined && fallback ? readRepoText(fallback.root, fallback.path) : undefined;
  const source = file ?? (repoText === undefined ? undefined : fallback?.path);
  const result = parseConfigText(file !== undefined ? readFileSync(file, "utf8") : (repoText ?? ""));
  if (!result.ok) {
    throw new AutofixError("cli.config_invalid", formatProblems(result.problems, source).join("\n"), {
      hint: "Run `autofix config check` on it; docs/config.md lists every key.",
    });
  }
  return result.config;
}

/** The model for the localization stages, from the operator's environment, metered by a fresh ledger. */
export function modelFromEnvironment(config: AutofixConfig, environment: Environment): Llm {
  const settings = loadLlmSettings(environment);
  return createLlm({ settings, config, ledger: createLedger(config.limits) });
}

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError("expected a positive integer");
  return parsed;
}

/** A local clone without --commit is read as it stands; anything else is materialized at the commit. */
export async function snapshotOf(
  options: { repo: string; commit?: string },
  cacheRoot: string,
): Promise<{ root: string; snapshot?: { key: string; commit: string } }> {
  const source = parseRepoSource(options.repo);
  if (source.kind === "local" && options.commit === undefined) {
    const path = resolve(source.path);
    if (!existsSync(path)) {
      throw new AutofixError("workspace.repo_not_found", `No directory at ${path}.`, {
        hint: "Pass the path of a repository.",
      });
    }
    if (existsSync(join(path, ".git")) || !existsSync(join(path, "HEAD"))) return { root: path };
  }
  const snapshot = await new GitWorkspace({ cacheRoot }).materialize(
    source,
    options.commit ? { commit: options.commit } : {},
  );
  return { root: snapshot.root, snapshot: { key: snapshot.repoKey, commit: snapshot.commit } };
}
