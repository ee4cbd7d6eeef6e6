import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AsPlainObject } from "minisearch";
import { z } from "zod";
import type { IndexedFile, SkippedFile } from "./types.ts";

/** Bump when the cached shape or the way documents are built changes. */
export const INDEX_SCHEMA = "v3";

export interface CachedIndex {
  identity: string;
  files: IndexedFile[];
  skipped: SkippedFile[];
  fileSearch: AsPlainObject;
}

const searchState = z.custom<AsPlainObject>(
  (value) => typeof value === "object" && value !== null && "documentCount" in value && "index" in value,
);

const cachedSchema = z.object({
  identity: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      blob: z.string(),
      size: z.number(),
      lineCount: z.number(),
      language: z.string().optional(),
      elements: z.array(
        z.object({
          kind: z.enum(["class", "function", "method", "variable"]),
          name: z.string(),
          qualifiedName: z.string(),
          startLine: z.number(),
          endLine: z.number(),
          signature: z.string(),
        }),
      ),
      hasSyntaxErrors: z.boolean(),
      role: z.enum(["source", "test", "docs", "other"]),
    }),
  ),
  skipped: z.array(
    z.object({
      path: z.string(),
      reason: z.enum([
        "gitignored",
        "symlink",
        "vendored",
        "generated",
        "minified",
        "binary",
        "not-utf8",
        "oversize",
        "unreadable",
      ]),
    }),
  ),
  fileSearch: searchState,
});

/** Whole indexes on disk, one JSON file per content identity (e.g. repository + commit). */
export class IndexCache {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  load(identity: string): CachedIndex | undefined {
    const path = this.pathOf(identity);
    if (!existsSync(path)) return undefined;
    try {
      const parsed = cachedSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
      if (!parsed.success || parsed.data.identity !== identity) return undefined;
      const files: IndexedFile[] = parsed.data.files.map((file) => ({ ...file, language: file.language }));
      return { ...parsed.data, files };
    } catch {
      return undefined;
    }
  }

  save(identity: string, data: CachedIndex): void {
    mkdirSync(this.dir, { recursive: true });
    const path = this.pathOf(identity);
    const staging = `${path}.${process.pid}.tmp`;
    writeFileSync(staging, JSON.stringify(data));
    renameSync(staging, path);
  }

  private pathOf(identity: string): string {
    return join(this.dir, `${createHash("sha256").update(identity).digest("hex").slice(0, 32)}.json`);
  }
}
