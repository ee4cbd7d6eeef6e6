import type { CodeElement } from "../code-index/types.ts";
import { innermostAt } from "../localize/rank-elements.ts";

/** One file of a unified diff, in terms of the base version. */
export interface FilePatch {
  /** Path in the base version (undefined for an added file). */
  basePath: string | undefined;
  /** Path after the patch (undefined for a deleted file). */
  newPath: string | undefined;
  /** Base lines removed or replaced. */
  changedLines: number[];
  /** Base line after which new lines were inserted (0: at the top). */
  insertionsAfter: number[];
}

export interface GoldElement {
  path: string;
  qualifiedName: string;
}

export interface Gold {
  /** Files the patch changes that exist in the base version. */
  files: string[];
  /** Per file, the base lines the patch touches (changed lines, and the line before each pure insertion). */
  lines: Map<string, number[]>;
  /** Innermost elements whose base span holds a changed line or surrounds an insertion. */
  elements: GoldElement[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parseUnifiedDiff(patch: string): FilePatch[] {
  const files: FilePatch[] = [];
  let current: FilePatch | undefined;
  let baseLine = 0;
  let baseLeft = 0;
  let newLeft = 0;
  let previousWasRemoval = false;
  for (const line of patch.split("\n")) {
    if (baseLeft > 0 || newLeft > 0) {
      // inside a hunk: counts, not prefixes, say where it ends (a removed "-- x" line reads "--- x")
      if (!current) break;
      if (line.startsWith("-")) {
        current.changedLines.push(baseLine++);
        baseLeft--;
        previousWasRemoval = true;
      } else if (line.startsWith("+")) {
        const after = baseLine - 1;
        if (!previousWasRemoval && current.insertionsAfter.at(-1) !== after)
          current.insertionsAfter.push(after);
        newLeft--;
      } else if (line.startsWith("\\")) {
        // "\ No newline at end of file"
      } else {
        baseLine++;
        baseLeft--;
        newLeft--;
        previousWasRemoval = false;
      }
      continue;
    }
    if (line.startsWith("--- ")) {
      current = {
        basePath: pathOf(line.slice(4)),
        newPath: undefined,
        changedLines: [],
        insertionsAfter: [],
      };
      files.push(current);
    } else if (line.startsWith("+++ ") && current) {
      current.newPath = pathOf(line.slice(4));
    } else {
      const hunk = HUNK.exec(line);
      if (!hunk || !current) continue;
      baseLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
      // an empty base range is numbered by the line before it
      baseLine = Number(hunk[1]) + (baseLeft === 0 ? 1 : 0);
      previousWasRemoval = false;
    }
  }
  return files;
}

function pathOf(field: string): string | undefined {
  const path = field.split("\t")[0]?.trim() ?? "";
  if (path === "/dev/null") return undefined;
  return path.replace(/^[ab]\//, "");
}

/** Gold locations of a patch, given the elements of each base file (undefined: file not in the base). */
export function goldLocations(
  patch: string,
  elementsOf: (path: string) => readonly CodeElement[] | undefined,
): Gold {
  const files: string[] = [];
  const lines = new Map<string, number[]>();
  const elements = new Map<string, GoldElement>();
  for (const file of parseUnifiedDiff(patch)) {
    if (!file.basePath) continue;
    const baseElements = elementsOf(file.basePath);
    if (baseElements === undefined) continue;
    files.push(file.basePath);
    const touched = new Set(file.changedLines);
    for (const after of file.insertionsAfter) touched.add(Math.max(after, 1));
    lines.set(
      file.basePath,
      [...touched].sort((a, b) => a - b),
    );
    const add = (element: CodeElement | undefined) => {
      if (element)
        elements.set(`${file.basePath}::${element.qualifiedName}`, {
          path: file.basePath as string,
          qualifiedName: element.qualifiedName,
        });
    };
    for (const line of file.changedLines) add(innermostAt(baseElements, line));
    for (const after of file.insertionsAfter) {
      add(
        innermostAt(
          baseElements.filter((element) => element.startLine <= after && after + 1 <= element.endLine),
          after,
        ),
      );
    }
  }
  return { files: [...new Set(files)], lines, elements: [...elements.values()] };
}
