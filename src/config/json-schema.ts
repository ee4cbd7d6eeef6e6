import { z } from "zod";
import { configSchema } from "./schema.ts";

export const SCHEMA_PATH = "schema/autofix.schema.json";

/** JSON Schema (2020-12) of `.github/autofix.yml` as written: every key optional, defaults shown. */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { io: "input", target: "draft-2020-12" });
  return {
    ...generated,
    $id: "https://github.com/autofix/autofix/schema/autofix.schema.json",
    title: "autofix repository config",
  };
}

export function renderJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
