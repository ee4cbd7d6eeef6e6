import type { z } from "zod";

/** JSON text checked against a schema: the data, or null when it is not JSON or not of that shape. */
export function parseJsonAs<T extends z.ZodType>(text: string, schema: T): z.output<T> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
