import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { RepoSource } from "./workspace.ts";

/**
 * A filesystem-safe key per repository: `host/owner/name` for network URLs, `local/<name>-<hash>` for
 * local directories and file:// URLs (two clones named alike must not share a cache entry).
 * `identity` is what makes a local repository unique (its resolved git dir).
 */
export function repoKey(source: RepoSource, identity?: string): string {
  if (source.kind === "remote" && !source.url.startsWith("file:")) {
    const match = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/]+@)?([^/:]+)(?::\d+)?[:/](.+?)(?:\.git)?\/?$/i.exec(
      source.url,
    );
    const parts = match ? [match[1] ?? "host", ...(match[2] ?? "repo").split("/")] : [source.url];
    return parts.map(safeSegment).join("/");
  }
  const path = source.kind === "local" ? source.path : source.url.replace(/^file:\/\//, "");
  const name = basename(path.replace(/\/+$/, "")).replace(/\.git$/, "") || "repo";
  const digest = createHash("sha256")
    .update(identity ?? path)
    .digest("hex")
    .slice(0, 12);
  return `local/${safeSegment(name)}-${digest}`;
}

function safeSegment(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
  return cleaned.slice(0, 80) || "_";
}
