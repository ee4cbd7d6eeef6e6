import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEFAULT_IMAGES } from "../../src/repo-tests/detect.ts";
import type { Sandbox } from "../../src/sandbox/sandbox.ts";
import { WORKDIR } from "../../src/sandbox/sandbox.ts";
import { COMPAT_SHIMS } from "./compat.ts";
import type { CorpusEntry } from "./corpus.ts";

const IMAGES_DIR = path.join(import.meta.dirname, "images");
const COMPAT_DIR = "node_modules/.autofix-bench";

/**
 * The base image: the language's autofix image, or a derived one from bench/runners/images/ (Debian
 * packages for Python dependencies, since no PyPI is reachable), built once and tagged by content.
 */
export function baseImage(entry: CorpusEntry): string {
  if (entry.dockerfile === null) return DEFAULT_IMAGES[entry.language];
  const file = path.join(IMAGES_DIR, entry.dockerfile);
  const hash = createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 12);
  const tag = `autofix-bench/${path.basename(entry.dockerfile, ".Dockerfile")}:${hash}`;
  if (imageExists(tag)) return tag;
  const context = mkdtempSync(path.join(tmpdir(), "autofix-bench-image-"));
  try {
    execFileSync("docker", ["build", "--network", "host", "-q", "-t", tag, "-f", file, context], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  return tag;
}

function imageExists(tag: string): boolean {
  try {
    execFileSync("docker", ["image", "inspect", tag], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * The compat shims' setup step (null for none), a layer over the installed dependencies. A shim is appended to the repository's own
 * `node_modules/mocha/lib/mocha.js`, which every mocha version loads before the test files, so the
 * own command and autofix's runner (which runs the repository's mocha) both get it; no repository
 * file changes.
 */
export function compatCommand(entry: CorpusEntry): string | null {
  if (entry.compat.length === 0) return null;
  const steps = [`mkdir -p ${COMPAT_DIR}`];
  for (const name of entry.compat) {
    const shim = `${COMPAT_DIR}/${name}.cjs`;
    const content = Buffer.from(COMPAT_SHIMS[name]).toString("base64");
    steps.push(
      `echo ${content} | base64 -d > ${shim}`,
      `echo 'require(${JSON.stringify(`${WORKDIR}/${shim}`)});' >> node_modules/mocha/lib/mocha.js`,
    );
  }
  return steps.join(" && ");
}

/** The checkout `<repos>/<owner>/<name>`, which must be at the corpus commit. */
export function checkoutOf(reposDir: string, entry: CorpusEntry): { dir: string } | { problem: string } {
  const dir = path.join(reposDir, ...entry.repo.split("/"));
  if (!existsSync(dir)) return { problem: `no checkout at ${dir}` };
  try {
    const head = execFileSync("git", ["-C", dir, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    if (head !== entry.commit) return { problem: `${dir} is at ${head.slice(0, 10)}, not ${entry.ref}` };
  } catch {
    // A tree exported with `git archive` has no history to check: trusted as it is.
  }
  return { dir };
}

export async function prepareEntry(sandbox: Sandbox, entry: CorpusEntry, dir: string): Promise<string> {
  const repoKey = `bench-runners/${entry.repo.toLowerCase()}`;
  const installed = await sandbox.prepare({
    repoKey,
    commit: entry.commit,
    image: baseImage(entry),
    setup: entry.setup,
    workspaceDir: dir,
    network: true,
    limits: { timeoutMs: 900_000 },
  });
  const compat = compatCommand(entry);
  if (compat === null) return installed.image;
  // A second cached layer, so that changing a shim does not repeat the install.
  const empty = mkdtempSync(path.join(tmpdir(), "autofix-bench-compat-"));
  try {
    const layered = await sandbox.prepare({
      repoKey: `${repoKey}/compat`,
      commit: entry.commit,
      image: installed.image,
      setup: compat,
      workspaceDir: empty,
      network: false,
    });
    return layered.image;
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}
