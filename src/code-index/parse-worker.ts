import { parentPort, workerData } from "node:worker_threads";
import { z } from "zod";
import { LanguageRegistry } from "./languages.ts";
import { ParseCache } from "./parse-cache.ts";
import { parseSource } from "./parse-file.ts";

/** One parsing thread: parses what it is sent, stores the result in the parse cache, replies with it. */

const setupSchema = z.object({
  specs: z.array(
    z.object({
      name: z.string(),
      grammars: z.record(z.string(), z.string()),
      elementsQuery: z.string(),
      skeletonQuery: z.string(),
    }),
  ),
  cacheDir: z.string().optional(),
  maxLiteralChars: z.number(),
});

const jobSchema = z.object({ id: z.number(), path: z.string(), blob: z.string(), text: z.string() });

const setup = setupSchema.parse(workerData);
const registry = new LanguageRegistry(setup.specs);
const cache = new ParseCache(setup.cacheDir);

parentPort?.on("message", async (message: unknown) => {
  const job = jobSchema.parse(message);
  try {
    const grammar = await registry.grammarFor(job.path);
    if (!grammar) {
      parentPort?.postMessage({ id: job.id, parsed: null });
      return;
    }
    const parsed = parseSource(grammar, job.text, { maxLiteralChars: setup.maxLiteralChars });
    cache.set(job.blob, grammar.spec.name, parsed);
    parentPort?.postMessage({ id: job.id, parsed });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
