import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DOCS_PATH, renderConfigDocs } from "../../src/config/docs.ts";
import { renderJsonSchema, SCHEMA_PATH } from "../../src/config/json-schema.ts";
import { configSchema } from "../../src/config/schema.ts";

describe("generated files follow the zod schema (run `npm run schema` after changing it)", () => {
  it(`${SCHEMA_PATH} is up to date`, () => {
    expect(readFileSync(SCHEMA_PATH, "utf8")).toBe(renderJsonSchema());
  });

  it(`${DOCS_PATH} is up to date`, () => {
    expect(readFileSync(DOCS_PATH, "utf8")).toBe(renderConfigDocs());
  });

  it("the JSON Schema names every key of the zod schema, with its default", () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as {
      properties: Record<string, { default?: unknown; properties?: Record<string, { default?: unknown }> }>;
      additionalProperties: boolean;
    };
    expect(schema.additionalProperties).toBe(false);
    const defaults = configSchema.parse({});
    for (const [section, value] of Object.entries(defaults)) {
      const node = schema.properties[section];
      expect(node, section).toBeDefined();
      if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const [key, inner] of Object.entries(value)) {
          expect(node?.properties?.[key]?.default, `${section}.${key}`).toEqual(inner);
        }
      } else {
        expect(node?.default, section).toEqual(value);
      }
    }
  });
});
