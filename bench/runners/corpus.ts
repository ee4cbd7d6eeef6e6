import { readFileSync } from "node:fs";
import { z } from "zod";
import { AutofixError } from "../../src/errors.ts";

const entrySchema = z.object({
  /** `owner/name`: the checkout is `<repos>/<owner>/<name>`. */
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  /** A BugsJS `Bug-N` tag or a SWE-bench instance, for the record. */
  ref: z.string(),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  language: z.enum(["javascript", "python"]),
  /** The test framework of the repository's own command. */
  framework: z.enum(["mocha", "pytest"]),
  /** A Dockerfile in bench/runners/images/ built FROM the language's autofix image; null: that image. */
  dockerfile: z.string().nullable().default(null),
  /** Run once with the setup network (npm install, an editable pip install without dependencies). */
  setup: z.string().nullable(),
  /** Node ≤ 20 behaviour the old dependencies need, preloaded by the repository's mocha on both sides. */
  compat: z.array(z.enum(["node20-http", "http-parser-binding", "graceful-fs-natives"])).default([]),
  /** The repository's own test command, reporter options left as they are (the bench sets its own). */
  command: z.string(),
  /** Where `command` comes from: "BugsJS Express_commands.csv, bug 27", "tox.ini". */
  commandSource: z.string(),
  /** A service the tests need that the sandbox does not run (MongoDB, Redis): reported, not run. */
  service: z.string().nullable().default(null),
  timeoutSeconds: z.number().int().positive().default(900),
});
export type CorpusEntry = z.infer<typeof entrySchema>;

const corpusSchema = z.object({ repositories: z.array(entrySchema).min(1) });

export class CorpusError extends AutofixError {
  constructor(message: string, hint?: string) {
    super("bench_corpus", message, hint === undefined ? {} : { hint });
  }
}

export function loadCorpus(file: string): CorpusEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CorpusError(`Cannot read the corpus ${file}: ${String(error)}`);
  }
  const parsed = corpusSchema.safeParse(json);
  if (!parsed.success) throw new CorpusError(`${file}: ${parsed.error.message}`);
  return parsed.data.repositories;
}

/** `BugsJS/express` → `express`, the name used by `--only` and in the table. */
export function shortName(entry: CorpusEntry): string {
  return entry.repo.split("/")[1] ?? entry.repo;
}
