import { z } from "zod";

/** One SEARCH/REPLACE edit: `search` must occur exactly once in the file at `path` (empty: a new file). */
export const fileEditSchema = z.strictObject({
  path: z.string().min(1),
  search: z.string(),
  replace: z.string(),
});
export type FileEdit = z.output<typeof fileEditSchema>;
