import { countTextTokens } from "../llm/tokens.ts";

interface DirNode {
  name: string;
  path: string;
  depth: number;
  dirs: Map<string, DirNode>;
  files: string[];
  fileCount: number;
  /** Best retrieval score of a file below. */
  relevance: number;
  expanded: boolean;
  /** When expanded over budget: only these files are listed. */
  shownFiles: string[] | undefined;
}

const INDENT = "    ";

/**
 * The repository's structure as an indented listing within `tokenBudget` tokens. Folders are expanded
 * best first — those holding files that retrieval ranks high, then shallow and small ones — and the
 * rest stay collapsed as `name/ (N files)`: on a big repository the folders that cannot matter fold away.
 */
export function renderRepoTree(
  paths: readonly string[],
  relevance: ReadonlyMap<string, number>,
  tokenBudget: number,
): string {
  const root = buildTree(paths, relevance);
  root.expanded = true;
  let used = costOfChildren(root);
  const queue = [...root.dirs.values()];
  while (queue.length > 0) {
    queue.sort(byPriority);
    const next = queue.shift() as DirNode;
    const cost = costOfChildren(next);
    if (used + cost <= tokenBudget) {
      next.expanded = true;
      used += cost;
      queue.push(...next.dirs.values());
    } else if (next.relevance > 0) {
      // too big to list whole: list only its relevant files, keep the sub-folders collapsed
      const shown = next.files.filter((file) => (relevance.get(`${next.path}/${file}`) ?? 0) > 0);
      const partial =
        shown.reduce((sum, file) => sum + lineCost(next.depth + 1, file), 0) +
        lineCost(next.depth + 1, "... 00000 more files") +
        [...next.dirs.values()].reduce((sum, dir) => sum + lineCost(next.depth + 1, collapsedLabel(dir)), 0);
      if (used + partial <= tokenBudget) {
        next.expanded = true;
        next.shownFiles = shown;
        used += partial;
        queue.push(...next.dirs.values());
      }
    }
  }
  const lines: string[] = [];
  render(root, lines);
  return lines.join("\n");
}

function buildTree(paths: readonly string[], relevance: ReadonlyMap<string, number>): DirNode {
  const root = node("", "", -1);
  for (const path of paths) {
    const segments = path.split("/");
    const score = relevance.get(path) ?? 0;
    let current = root;
    current.fileCount++;
    current.relevance = Math.max(current.relevance, score);
    for (const segment of segments.slice(0, -1)) {
      let child = current.dirs.get(segment);
      if (!child) {
        child = node(segment, current.path ? `${current.path}/${segment}` : segment, current.depth + 1);
        current.dirs.set(segment, child);
      }
      child.fileCount++;
      child.relevance = Math.max(child.relevance, score);
      current = child;
    }
    current.files.push(segments.at(-1) ?? path);
  }
  return root;
}

function node(name: string, path: string, depth: number): DirNode {
  return {
    name,
    path,
    depth,
    dirs: new Map(),
    files: [],
    fileCount: 0,
    relevance: 0,
    expanded: false,
    shownFiles: undefined,
  };
}

function byPriority(a: DirNode, b: DirNode): number {
  return (
    b.relevance - a.relevance ||
    a.depth - b.depth ||
    a.fileCount - b.fileCount ||
    a.path.localeCompare(b.path)
  );
}

function collapsedLabel(dir: DirNode): string {
  return `${dir.name}/ (${dir.fileCount} file${dir.fileCount === 1 ? "" : "s"})`;
}

function lineCost(depth: number, text: string): number {
  return countTextTokens(`${INDENT.repeat(Math.max(depth, 0))}${text}\n`);
}

/** Tokens added by expanding `dir`: its files and its sub-folders (collapsed), minus nothing (its own line stays). */
function costOfChildren(dir: DirNode): number {
  let cost = 0;
  for (const file of dir.files) cost += lineCost(dir.depth + 1, file);
  for (const child of dir.dirs.values()) cost += lineCost(dir.depth + 1, collapsedLabel(child));
  return cost;
}

function render(dir: DirNode, lines: string[]): void {
  const pad = INDENT.repeat(dir.depth + 1);
  const dirs = [...dir.dirs.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const child of dirs) {
    if (child.expanded) {
      lines.push(`${pad}${child.name}/`);
      render(child, lines);
    } else {
      lines.push(`${pad}${collapsedLabel(child)}`);
    }
  }
  const files = dir.shownFiles ?? dir.files;
  for (const file of [...files].sort()) lines.push(`${pad}${file}`);
  if (dir.shownFiles && dir.shownFiles.length < dir.files.length) {
    lines.push(`${pad}... ${dir.files.length - dir.shownFiles.length} more files`);
  }
}
