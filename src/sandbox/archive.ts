import path from "node:path";
import type { Readable } from "node:stream";
import { pack as packDirectory } from "tar-fs";
import { extract, pack } from "tar-stream";
import { SandboxInputError } from "./errors.ts";
import type { SandboxFile } from "./sandbox.ts";
import { WORKDIR } from "./sandbox.ts";
import { workspacePaths } from "./workspace-files.ts";

/** The sandbox user: every file put into a container is owned by it, so tests may write beside them. */
export const SANDBOX_UID = 1000;

const ALWAYS_SKIPPED = new Set([".git"]);

/**
 * A tar of the host checkout, rooted at `/` with every entry under `work/`, owned by the sandbox user:
 * in a git checkout only the files git tracks (workspace-files.ts). Read-only on the host side.
 */
export function packWorkspace(workspaceDir: string): Readable {
  const root = path.resolve(workspaceDir);
  const included = workspacePaths(root);
  return packDirectory(root, {
    ignore: (name) => {
      const relative = path.relative(root, name).split(path.sep).join("/");
      if (ALWAYS_SKIPPED.has(relative.split("/")[0] ?? "")) return true;
      return included !== null && !included.has(relative);
    },
    map: (header) => {
      const relative = header.name === "." ? "" : header.name.replace(/^\.\//, "");
      header.name = relative === "" ? `${WORKDIR.slice(1)}/` : `${WORKDIR.slice(1)}/${relative}`;
      header.uid = SANDBOX_UID;
      header.gid = SANDBOX_UID;
      return header;
    },
  }) as unknown as Readable;
}

/** A tar (rooted at `/`) of single files, with their parent folders, owned by the sandbox user. */
export async function packFiles(files: SandboxFile[]): Promise<Buffer> {
  const archive = pack();
  const folders = new Set<string>();
  const entries = files.map((file) => ({ ...file, name: archiveName(file.path) }));
  for (const entry of entries) {
    const parts = entry.name.split("/").slice(0, -1);
    // Never restamp the top-level folder (/tmp, /work): only the ones below it.
    for (let depth = 2; depth <= parts.length; depth++) folders.add(parts.slice(0, depth).join("/"));
  }
  const owner = { uid: SANDBOX_UID, gid: SANDBOX_UID, uname: "sandbox", gname: "sandbox" };
  for (const folder of [...folders].sort()) {
    archive.entry({ name: `${folder}/`, type: "directory", mode: 0o755, ...owner });
  }
  for (const entry of entries) {
    const content =
      typeof entry.content === "string" ? Buffer.from(entry.content) : Buffer.from(entry.content);
    archive.entry({ name: entry.name, mode: entry.mode ?? 0o644, ...owner }, content);
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function archiveName(filePath: string): string {
  const relative = !path.posix.isAbsolute(filePath);
  const normalized = path.posix.normalize(relative ? path.posix.join(WORKDIR, filePath) : filePath);
  const escapes = relative ? !normalized.startsWith(`${WORKDIR}/`) : normalized.split("/").includes("..");
  if (escapes || normalized.endsWith("/")) {
    throw new SandboxInputError(`A sandbox file path leaves the workspace or names no file: ${filePath}`);
  }
  return normalized.slice(1);
}

/** The first regular file of a tar stream (what `getArchive` returns for one path), up to `maxBytes`. */
export async function readSingleFile(tar: NodeJS.ReadableStream, maxBytes: number): Promise<string | null> {
  const extractor = extract();
  let found: string | null = null;
  const done = new Promise<void>((resolve, reject) => {
    extractor.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (data: unknown) => {
        const chunk = data as Buffer;
        if (found === null && header.type === "file" && size < maxBytes) {
          chunks.push(chunk.subarray(0, maxBytes - size));
          size += chunk.length;
        }
      });
      stream.on("end", () => {
        if (found === null && header.type === "file") found = Buffer.concat(chunks).toString("utf8");
        next();
      });
      stream.resume();
    });
    extractor.on("finish", resolve);
    extractor.on("error", reject);
  });
  tar.pipe(extractor);
  await done;
  return found;
}
