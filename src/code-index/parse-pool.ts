import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import type { LanguageRegistry } from "./languages.ts";
import type { ParseCache } from "./parse-cache.ts";
import { parseSource } from "./parse-file.ts";
import type { ParsedFile } from "./types.ts";

/** Parses files and stores the results in the parse cache. */
export interface FileParser {
  parse(path: string, blob: string, text: string): Promise<ParsedFile | undefined>;
  close(): Promise<void>;
}

/** Parsing threads by default: one per core (at most 4); the main thread tokenizes meanwhile and then mostly waits. */
export function defaultParseWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export class InProcessParser implements FileParser {
  private readonly registry: LanguageRegistry;
  private readonly cache: ParseCache;
  private readonly maxLiteralChars: number;

  constructor(registry: LanguageRegistry, cache: ParseCache, maxLiteralChars: number) {
    this.registry = registry;
    this.cache = cache;
    this.maxLiteralChars = maxLiteralChars;
  }

  async parse(path: string, blob: string, text: string): Promise<ParsedFile | undefined> {
    const grammar = await this.registry.grammarFor(path);
    if (!grammar) return undefined;
    const parsed = parseSource(grammar, text, { maxLiteralChars: this.maxLiteralChars });
    this.cache.set(blob, grammar.spec.name, parsed);
    return parsed;
  }

  async close(): Promise<void> {}
}

const replySchema = z.object({
  id: z.number(),
  parsed: z
    .custom<ParsedFile>((value) => typeof value === "object")
    .nullable()
    .optional(),
  error: z.string().optional(),
});

interface Pending {
  resolve: (parsed: ParsedFile | undefined) => void;
  reject: (error: Error) => void;
}

/**
 * Parsing on worker threads (tree-sitter is CPU-bound and synchronous), so the main thread tokenizes and
 * indexes while the workers parse. Each job goes to the worker with the fewest jobs in flight.
 */
export class WorkerParsePool implements FileParser {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private nextId = 0;

  constructor(options: {
    workers: number;
    registry: LanguageRegistry;
    cacheDir: string | undefined;
    maxLiteralChars: number;
  }) {
    const workerData = {
      specs: options.registry.specs,
      cacheDir: options.cacheDir,
      maxLiteralChars: options.maxLiteralChars,
    };
    for (let i = 0; i < options.workers; i++) {
      const worker = new Worker(new URL("./parse-worker.ts", import.meta.url), { workerData });
      const pending = new Map<number, Pending>();
      worker.on("message", (message: unknown) => settle(pending, message));
      worker.on("error", (error) => failAll(pending, error));
      worker.on("exit", (code) => failAll(pending, new Error(`parse worker exited with code ${code}`)));
      this.workers.push({ worker, pending });
    }
  }

  parse(path: string, blob: string, text: string): Promise<ParsedFile | undefined> {
    const target = this.workers.reduce((best, candidate) =>
      candidate.pending.size < best.pending.size ? candidate : best,
    );
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.postMessage({ id, path, blob, text });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}

function settle(pending: Map<number, Pending>, message: unknown): void {
  const reply = replySchema.safeParse(message);
  if (!reply.success) return;
  const job = pending.get(reply.data.id);
  if (!job) return;
  pending.delete(reply.data.id);
  if (reply.data.error !== undefined) job.reject(new Error(reply.data.error));
  else job.resolve(reply.data.parsed ?? undefined);
}

function failAll(pending: Map<number, Pending>, error: Error): void {
  for (const job of pending.values()) job.reject(error);
  pending.clear();
}
