import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

/**
 * Load `<cwd>/.env` (where Probot's set-up page writes the App's credentials) into `env`. Unlike
 * Probot's own loader, variables already set in the environment win over the file.
 * Returns the names it set.
 */
export function loadDotEnv(cwd: string, env: NodeJS.ProcessEnv = process.env): string[] {
  let text: string;
  try {
    text = readFileSync(join(cwd, ".env"), "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return [];
    throw error;
  }
  const loaded: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] !== undefined && env[name] !== "") continue;
    env[name] = value;
    loaded.push(name);
  }
  return loaded;
}
