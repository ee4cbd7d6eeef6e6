import { AutofixError } from "../errors.ts";

/** The images images/build.sh builds: allowed when the operator names none. */
export const BUILT_IN_IMAGES = ["autofix/node:24", "autofix/python:3", "autofix/debian:bookworm"] as const;

/** Where `prepare` commits setup images; never a base image a repository may name. */
export const SETUP_IMAGE_PREFIX = "autofix-setup/";

const NAME = /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?$/;
const IMAGE_ID = /^sha256:|^[0-9a-f]{6,64}$/;

/** A plain `repository[:tag]` name: no image ID (or prefix of one), no digest, no setup image. */
export function isImageName(image: string): boolean {
  return NAME.test(image) && !IMAGE_ID.test(image) && !image.startsWith(SETUP_IMAGE_PREFIX);
}

/** `name` as Docker lists it among an image's RepoTags (`:latest` when untagged). */
export function withTag(image: string): string {
  return image.slice(image.lastIndexOf("/") + 1).includes(":") ? image : `${image}:latest`;
}

export class ImageNotAllowedError extends AutofixError {
  constructor(image: string, allowed: readonly string[]) {
    super(
      "sandbox_image_not_allowed",
      `The sandbox image '${image}' is not one the operator allows (${allowed.join(", ")}).`,
      {
        hint: "Set `sandbox.image` in .github/autofix.yml to one of them, by exact name, or leave it unset; the operator lists images in AUTOFIX_SANDBOX_IMAGES.",
        context: { image, allowed: [...allowed] },
      },
    );
  }
}

/**
 * An operator's allow-list entry: an image name, or a name prefix ending in `*` (`autofix-bench/*`,
 * `my/img:*`) that only the operator may write; the image itself must still be a plain name.
 */
export function isAllowListEntry(entry: string): boolean {
  return entry.endsWith("*") ? /^[a-z0-9][a-z0-9._/:-]*\*$/.test(entry) : isImageName(entry);
}

/** Throws unless `image` is a plain name that one of the allowed entries names exactly (or by prefix). */
export function assertAllowedImage(image: string, allowed: readonly string[]): void {
  const listed = allowed.some((entry) =>
    entry.endsWith("*") ? image.startsWith(entry.slice(0, -1)) : entry === image,
  );
  if (!isImageName(image) || !listed) throw new ImageNotAllowedError(image, allowed);
}

/** A setup image as the engine lists it, with when it was last used (tagged) for the LRU. */
export type SetupImageInfo = { id: string; tags: string[]; bytes: number; lastUsedMs: number };

/**
 * Setup images to remove so that at most `maxImages` and `maxBytes` remain: least recently used
 * first, never one in `keep` (in use by a container or by this process) nor one used within
 * `graceMs` (another process may be about to start a container from it).
 */
export function setupImagesToEvict(
  images: readonly SetupImageInfo[],
  caps: { maxImages: number; maxBytes: number },
  keep: ReadonlySet<string>,
  nowMs: number,
  graceMs: number,
): SetupImageInfo[] {
  const newestFirst = [...images].sort((a, b) => b.lastUsedMs - a.lastUsedMs);
  const evict: SetupImageInfo[] = [];
  let count = 0;
  let bytes = 0;
  for (const image of newestFirst) {
    const protectedNow = keep.has(image.id) || nowMs - image.lastUsedMs < graceMs;
    if (protectedNow || (count + 1 <= caps.maxImages && bytes + image.bytes <= caps.maxBytes)) {
      count++;
      bytes += image.bytes;
      continue;
    }
    evict.push(image);
  }
  return evict;
}
