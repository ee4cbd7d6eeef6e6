// `npm run bench -- <name> [args]` runs bench/<name>.ts; with no name it lists the benchmarks.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const here = import.meta.dirname;
const available = readdirSync(here)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => file.replace(/\.ts$/, ""));
const [name, ...args] = process.argv.slice(2);

if (!name || !available.includes(name)) {
  if (name) console.error(`no benchmark named "${name}"`);
  console.error(`usage: npm run bench -- <name> [args]\nbenchmarks: ${available.join(", ") || "(none yet)"}`);
  process.exit(name ? 2 : 0);
}
const run = spawnSync(process.execPath, [join(here, `${name}.ts`), ...args], { stdio: "inherit" });
process.exit(run.status ?? 1);
