import type { CodeIndex } from "../code-index/code-index.ts";
import type { IndexedFile } from "../code-index/types.ts";

/**
 * Maps what an issue names (paths as written anywhere, frames from other machines, dotted module
 * names) onto files of the index. Names that match nothing are dropped.
 */
export class MentionResolver {
  private readonly index: CodeIndex;
  private readonly byBasename = new Map<string, IndexedFile[]>();
  private readonly byPath = new Map<string, IndexedFile>();

  constructor(index: CodeIndex) {
    this.index = index;
    for (const file of index.files) {
      this.byPath.set(file.path, file);
      const base = file.path.slice(file.path.lastIndexOf("/") + 1);
      const list = this.byBasename.get(base) ?? [];
      list.push(file);
      this.byBasename.set(base, list);
    }
  }

  /**
   * The files a written path can mean: the longest suffix match of the path (so
   * `/usr/lib/python3/site-packages/requests/models.py` → `requests/models.py`); a bare file name
   * matches every file of that name, up to `maxAmbiguous`.
   */
  resolvePath(written: string, maxAmbiguous = 3): IndexedFile[] {
    const cleaned = written
      .replace(/\\/g, "/")
      .replace(/^(?:\.\/|[ab]\/)/, "")
      .replace(/[#?].*$/, "");
    const exact = this.byPath.get(cleaned);
    if (exact) return [exact];
    const base = cleaned.slice(cleaned.lastIndexOf("/") + 1);
    const candidates = this.byBasename.get(base) ?? [];
    if (!cleaned.includes("/")) return candidates.length <= maxAmbiguous ? candidates : [];
    let best: IndexedFile[] = [];
    let bestLength = 0;
    for (const file of candidates) {
      const overlap = commonSuffixSegments(file.path, cleaned);
      if (overlap > bestLength) {
        best = [file];
        bestLength = overlap;
      } else if (overlap === bestLength && overlap > 0) {
        best.push(file);
      }
    }
    return bestLength >= 2 || best.length <= maxAmbiguous ? best.slice(0, maxAmbiguous) : [];
  }

  /**
   * `xarray.core.variable.Variable.__setitem__` → the file of the longest module prefix
   * (`xarray/core/variable.py` or `…/__init__.py`) and the rest as an element name (`Variable.__setitem__`).
   */
  resolveDotted(name: string): { file: IndexedFile; rest: string } | undefined {
    const segments = name.split(".");
    for (let length = segments.length; length >= 2; length--) {
      const modulePath = segments.slice(0, length).join("/");
      for (const candidate of [
        `${modulePath}.py`,
        `${modulePath}/__init__.py`,
        `${modulePath}.js`,
        `${modulePath}/index.js`,
        `${modulePath}.ts`,
      ]) {
        const file = this.byPath.get(candidate) ?? this.bySuffix(candidate);
        if (file) return { file, rest: segments.slice(length).join(".") };
      }
    }
    return undefined;
  }

  get files(): readonly IndexedFile[] {
    return this.index.files;
  }

  private bySuffix(path: string): IndexedFile | undefined {
    const base = path.slice(path.lastIndexOf("/") + 1);
    const matches = (this.byBasename.get(base) ?? []).filter((file) => file.path.endsWith(`/${path}`));
    return matches.length === 1 ? matches[0] : undefined;
  }
}

function commonSuffixSegments(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  let count = 0;
  while (
    count < left.length &&
    count < right.length &&
    left[left.length - 1 - count] === right[right.length - 1 - count]
  ) {
    count++;
  }
  return count;
}
