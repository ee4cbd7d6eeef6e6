// Regenerates the JSON Schema and the config docs from the zod schema (test/config/drift.test.ts checks them).
import { writeFileSync } from "node:fs";
import { DOCS_PATH, renderConfigDocs } from "../src/config/docs.ts";
import { renderJsonSchema, SCHEMA_PATH } from "../src/config/json-schema.ts";

writeFileSync(SCHEMA_PATH, renderJsonSchema());
writeFileSync(DOCS_PATH, renderConfigDocs());
console.log(`wrote ${SCHEMA_PATH} and ${DOCS_PATH}`);
