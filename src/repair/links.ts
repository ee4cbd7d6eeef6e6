import { lstatSync } from "node:fs";
import path from "node:path";

/**
 * Whether writing `relative` in the checkout at `root` would go through a symbolic link (the file
 * itself or a folder on its way): the write would land elsewhere than the path the rules judged.
 */
export function passesThroughLink(root: string, relative: string): boolean {
  const parts = relative.split("/");
  for (let depth = 1; depth <= parts.length; depth++) {
    try {
      if (lstatSync(path.join(root, ...parts.slice(0, depth))).isSymbolicLink()) return true;
    } catch {
      return false;
    }
  }
  return false;
}
