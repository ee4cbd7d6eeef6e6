// One phase of `npm run bench -- index`, run in its own process so its peak memory is its own.
// Prints one JSON line: {phase, seconds, cpuSeconds, maxRssMb, ...}.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildCodeIndex } from "../src/code-index/build.ts";
import { skipByContent, skipByPath } from "../src/code-index/classify.ts";
import { LanguageRegistry } from "../src/code-index/languages.ts";
import { walkRepository } from "../src/code-index/walk.ts";

const [phase, root, cacheRoot, identity, workers] = process.argv.slice(2);
if (!phase || !root || !cacheRoot || !identity) {
  console.error("usage: index-phases.ts <floor|build> <root> <cacheRoot> <identity> [parseWorkers]");
  process.exit(2);
}

const started = performance.now();
const cpuStart = process.cpuUsage();
let extra: Record<string, unknown> = {};

if (phase === "floor") {
  // The floor: list the same files the index parses, read them, parse each with tree-sitter. Nothing else.
  const registry = new LanguageRegistry();
  const walked = await walkRepository(root);
  let files = 0;
  let bytes = 0;
  for (const entry of walked.files) {
    if (skipByPath(entry.path, entry.size, 1_000_000) || !registry.languageOf(entry.path)) continue;
    const content = skipByContent(readFileSync(join(root, entry.path)));
    if ("reason" in content) continue;
    const grammar = await registry.grammarFor(entry.path);
    grammar?.parser.parse(content.text)?.delete();
    files++;
    bytes += content.text.length;
  }
  extra = { files, megabytes: Math.round(bytes / 1e5) / 10 };
} else {
  const index = await buildCodeIndex({
    root,
    cacheRoot,
    identity,
    ...(workers === undefined ? {} : { parseWorkers: Number(workers) }),
  });
  extra = { ...index.stats, files: index.stats.files };
}

const cpu = process.cpuUsage(cpuStart);
console.log(
  JSON.stringify({
    phase,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...extra,
  }),
);
