import type Docker from "dockerode";
import { type SetupImageInfo, setupImagesToEvict } from "./images.ts";
import { SANDBOX_LABEL } from "./labels.ts";
import type { SetupCacheCaps } from "./settings.ts";

/** Labels of a committed setup image: which repository and cache key it belongs to. */
export const SETUP_LABEL = `${SANDBOX_LABEL}.setup`;
export const SETUP_REPO_LABEL = `${SANDBOX_LABEL}.setup.repo`;
export const SETUP_KEY_LABEL = `${SANDBOX_LABEL}.setup.key`;

/** A setup image used this recently is never evicted: a run may be about to start a container from it. */
export const EVICTION_GRACE_MS = 30 * 60_000;

/**
 * Mark a setup image as used now. The engine keeps no "last used" time, but re-tagging an image
 * with its own tag sets its `Metadata.LastTagTime`, which the eviction orders by.
 */
export async function touchSetupImage(docker: Docker, tag: string): Promise<void> {
  const at = tag.lastIndexOf(":");
  await docker
    .getImage(tag)
    .tag({ repo: tag.slice(0, at), tag: tag.slice(at + 1) })
    .catch(() => undefined);
}

/**
 * Remove least recently used setup images beyond the caps. Images a container (running or not) was
 * created from are kept, and so are those in `keepTags` and those used within the grace period;
 * removal is never forced, so the engine itself refuses an image a container still uses.
 * `repoKeyPrefix` narrows it to the images of some repositories (the setup images of older
 * versions, without the repository label, count only when it is empty).
 */
export async function evictSetupImages(
  docker: Docker,
  caps: SetupCacheCaps,
  keepTags: ReadonlySet<string>,
  options: { nowMs?: number; graceMs?: number; repoKeyPrefix?: string } = {},
): Promise<string[]> {
  const { nowMs = Date.now(), graceMs = EVICTION_GRACE_MS, repoKeyPrefix = "" } = options;
  const listed = (await docker.listImages({ filters: { label: [`${SETUP_LABEL}=1`] } })).filter((image) =>
    (image.Labels?.[SETUP_REPO_LABEL] ?? "").startsWith(repoKeyPrefix),
  );
  const bytes = listed.reduce((sum, image) => sum + image.Size, 0);
  if (listed.length <= caps.maxImages && bytes <= caps.maxBytes) return [];
  const inUse = new Set((await docker.listContainers({ all: true })).map((info) => info.ImageID));
  const infos: SetupImageInfo[] = [];
  for (const image of listed) {
    const tags = image.RepoTags ?? [];
    if (tags.some((tag) => keepTags.has(tag))) inUse.add(image.Id);
    // Last used no earlier than created: one created within the grace period is kept, unasked.
    if (nowMs - image.Created * 1000 < graceMs) {
      infos.push({ id: image.Id, tags, bytes: image.Size, lastUsedMs: image.Created * 1000 });
      continue;
    }
    // `Metadata.LastTagTime` is in the engine's answer, not in dockerode's types.
    const inspected = (await docker
      .getImage(image.Id)
      .inspect()
      .catch(() => null)) as { Metadata?: { LastTagTime?: string } } | null;
    const tagged = Date.parse(inspected?.Metadata?.LastTagTime ?? "");
    const lastUsedMs = Number.isFinite(tagged) && tagged > 0 ? tagged : image.Created * 1000;
    infos.push({ id: image.Id, tags, bytes: image.Size, lastUsedMs });
  }
  const removed: string[] = [];
  for (const image of setupImagesToEvict(infos, caps, inUse, nowMs, graceMs)) {
    await docker
      .getImage(image.id)
      .remove({ force: false })
      .then(() => removed.push(...(image.tags.length > 0 ? image.tags : [image.id])))
      .catch(() => undefined);
  }
  return removed;
}
