import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Sandbox } from "../../src/sandbox/sandbox.ts";
import { WORKDIR } from "../../src/sandbox/sandbox.ts";
import { DEFAULT_IMAGES } from "../../src/testing/detect.ts";
import { HTTP_COMPAT_FILE } from "../selection/compat.ts";
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
 * The setup command plus the compat shims. A shim is appended to the repository's own
 * `node_modules/mocha/lib/mocha.js`, which every mocha version loads before the test files, so the
 * own command and autofix's runner (which runs the repository's mocha) both get it; no repository
 * file changes.
 */
export function setupCommand(entry: CorpusEntry): string | null {
  if (entry.compat.length === 0) return entry.setup;
  const shim = `${COMPAT_DIR}/node20-http-compat.cjs`;
  const content = Buffer.from(String(HTTP_COMPAT_FILE.content)).toString("base64");
  const steps = [
    `mkdir -p ${COMPAT_DIR}`,
    `echo ${content} | base64 -d > ${shim}`,
    `echo 'require(${JSON.stringify(`${WORKDIR}/${shim}`)});' >> node_modules/mocha/lib/mocha.js`,
  ];
  return [entry.setup ?? "true", ...steps].join(" && ");
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
  const prepared = await sandbox.prepare({
    repoKey: `bench-runners/${entry.repo.toLowerCase()}`,
    commit: entry.commit,
    image: baseImage(entry),
    setup: setupCommand(entry),
    workspaceDir: dir,
    network: true,
    limits: { timeoutMs: 900_000 },
  });
  return prepared.image;
}
