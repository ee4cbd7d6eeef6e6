import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { ParsedFile } from "./types.ts";

const elementSchema = z.object({
  kind: z.enum(["class", "function", "method", "variable"]),
  name: z.string(),
  qualifiedName: z.string(),
  startLine: z.int(),
  endLine: z.int(),
  signature: z.string(),
});

const parsedFileSchema = z.object({
  language: z.string(),
  elements: z.array(elementSchema),
  skeleton: z.string(),
  hasSyntaxErrors: z.boolean(),
});

/**
 * Parse results on disk, one JSON file per (git blob, language), under a folder named after the
 * query files' fingerprint: a blob parsed once is never parsed again, in any commit or repository.
 */
export class ParseCache {
  readonly dir: string | undefined;
  hits = 0;
  misses = 0;

  /** `dir` undefined: an in-memory no-op cache (nothing persists). */
  constructor(dir: string | undefined) {
    this.dir = dir;
  }

  get(blob: string, language: string): ParsedFile | undefined {
    const path = this.pathOf(blob, language);
    if (!path || !existsSync(path)) {
      this.misses++;
      return undefined;
    }
    try {
      const parsed = parsedFileSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
      if (parsed.success) {
        this.hits++;
        return parsed.data;
      }
    } catch {
      // a torn or foreign file: parse again and overwrite it
    }
    this.misses++;
    return undefined;
  }

  set(blob: string, language: string, parsed: ParsedFile): void {
    const path = this.pathOf(blob, language);
    if (!path) return;
    const dir = join(path, "..");
    mkdirSync(dir, { recursive: true });
    const staging = `${path}.${process.pid}.tmp`;
    writeFileSync(staging, JSON.stringify(parsed));
    renameSync(staging, path);
  }

  private pathOf(blob: string, language: string): string | undefined {
    return this.dir ? join(this.dir, blob.slice(0, 2), `${blob}.${language}.json`) : undefined;
  }
}
