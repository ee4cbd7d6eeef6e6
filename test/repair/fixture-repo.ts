import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = fileURLToPath(new URL("../fixtures/repair", import.meta.url));

/** Every file under `test/fixtures/repair/<name>/repo`, by repository-relative path. */
export function loadRepo(name: string): Map<string, string> {
  const root = join(FIXTURES, name, "repo");
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, "utf8"));
    }
  };
  walk(root);
  return files;
}

export function answer(name: string, file: string): string {
  return readFileSync(join(FIXTURES, name, "answers", `${file}.md`), "utf8");
}
