import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Sandbox, type SandboxFile, WORKDIR } from "../../src/sandbox/sandbox.ts";
import { gitShow } from "./checkout.ts";
import { HTTP_COMPAT_FILE, HTTP_COMPAT_PATH } from "./compat.ts";

const PRELOAD_PATH = ".autofix-bench/repo-requires.cjs";

type RepoMochaSetup = { requires: string[]; nodeEnv: string | null; timeoutMs: number | null };

/**
 * What the repository's own test command sets up: `--require`/`-r` in test/mocha.opts (read by mocha
 * before 6) and in the npm test script (`should`, `test/support/env`), `--timeout`/`-t`, and
 * `NODE_ENV=…` in the test script or the Makefile that older versions run it through.
 */
function repoMochaSetup(gitDir: string, commit: string): RepoMochaSetup {
  const pkg = gitShow(gitDir, commit, "package.json") ?? "";
  return mochaSetupOf([
    gitShow(gitDir, commit, "test/mocha.opts") ?? "",
    /"test"\s*:\s*"([^"]*)"/.exec(pkg)?.[1] ?? "",
    gitShow(gitDir, commit, "Makefile") ?? "",
  ]);
}

/** The requires, NODE_ENV and timeout that mocha command lines (or mocha.opts) set. */
export function mochaSetupOf(sources: readonly string[]): RepoMochaSetup {
  const found = sources.flatMap((text) =>
    [...text.matchAll(/(?:--require|(?<![\w-])-r)[\s=]+([^\s"'\\]+)/g)].map((m) => m[1] ?? ""),
  );
  const nodeEnv = sources.map((text) => /\bNODE_ENV=(\w+)/.exec(text)?.[1]).find((v) => v !== undefined);
  const timeouts = sources.flatMap((text) =>
    [...text.matchAll(/(?:--timeout|(?<![\w-])-t)[\s=]+(\d+)\b/g)].map((m) => Number(m[1])),
  );
  return {
    requires: [...new Set(found.filter((name) => name !== ""))],
    nodeEnv: nodeEnv ?? null,
    timeoutMs: timeouts.length > 0 ? Math.max(...timeouts) : null,
  };
}

/**
 * How the image's mocha 12 runs these 2014–2015 suites the way their own mocha 1–2 did: a preload of
 * the repository's `--require`s and NODE_ENV (mocha 12 resolves bare names from its own folder, so
 * they are loaded from the repository's), the Node 20 http compat shim (unless `compat` is off), and
 * `exit`, because mocha ≥ 4 waits for the open handles these old tests leave.
 */
export function harnessFiles(gitDir: string, commit: string, compat: boolean): SandboxFile[] {
  const repo = repoMochaSetup(gitDir, commit);
  const env = repo.nodeEnv ? `process.env.NODE_ENV = ${JSON.stringify(repo.nodeEnv)};\n` : "";
  const loads = repo.requires.map((name) => {
    const local = name.startsWith(".") || name.includes("/") ? `./${name.replace(/^\.\//, "")}` : name;
    return `load(${JSON.stringify(local)});\n`;
  });
  const preload: SandboxFile = {
    path: PRELOAD_PATH,
    content: `"use strict";\n${env}const load = require("node:module").createRequire(${JSON.stringify(`${WORKDIR}/package.json`)});\n${loads.join("")}`,
  };
  const require = [...(compat ? [`./${HTTP_COMPAT_PATH}`] : []), `./${PRELOAD_PATH}`];
  const timeout = repo.timeoutMs === null ? {} : { timeout: repo.timeoutMs };
  const config = {
    path: ".mocharc.json",
    content: `${JSON.stringify({ require, exit: true, ...timeout })}\n`,
  };
  return [config, preload, ...(compat ? [HTTP_COMPAT_FILE] : [])];
}

/**
 * The harness files layered over a prepared image (a second, cached `prepare` without setup), so that
 * every run has them, including the regression runs, which get only the candidate's files.
 */
export async function withHarness(
  sandbox: Sandbox,
  image: string,
  repoKey: string,
  files: readonly SandboxFile[],
): Promise<string> {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file.path).update("\0").update(file.content).update("\0");
  const dir = mkdtempSync(path.join(tmpdir(), "autofix-bench-harness-"));
  try {
    for (const file of files) {
      mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
      writeFileSync(path.join(dir, file.path), file.content);
    }
    const prepared = await sandbox.prepare({
      repoKey: `${repoKey}/harness`,
      commit: hash.digest("hex").slice(0, 40),
      image,
      setup: null,
      workspaceDir: dir,
      network: false,
    });
    return prepared.image;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
